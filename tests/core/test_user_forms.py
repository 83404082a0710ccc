"""The office manages the accounts of its district: adds a liaison, resets a password, deactivates
an account; never a superuser, never another district's account."""

import pytest
from django.urls import reverse
from django.utils import translation
from tests.enterprises.factories import build_world

from bioplan.core.models import User

STRONG = "Qingpu-liaison-2026"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def test_office_adds_a_liaison_who_can_sign_in(world, client):
    client.force_login(world.office)
    assert client.get(reverse("users:create")).status_code == 200
    data = {
        "username": "zhang",
        "password": STRONG,
        "first_name": "张联络",
        "role": "liaison",
        "region": world.district.pk,
        "department": world.liaison_department.pk,
    }
    missing = client.post(reverse("users:create"), {**data, "department": ""})
    assert missing.status_code == 200 and "须指定所属部门" in missing.content.decode()
    weak = client.post(reverse("users:create"), {**data, "password": "123"})
    assert weak.status_code == 200 and not User.objects.filter(username="zhang").exists()
    assert client.post(reverse("users:create"), data).status_code == 302
    account = User.objects.get(username="zhang")
    assert not account.is_superuser and not account.is_staff and account.region == world.district
    assert client.login(username="zhang", password=STRONG)


def test_office_cannot_reach_another_district_or_make_a_superuser(world, client):
    client.force_login(world.office)
    other = client.post(
        reverse("users:create"),
        {"username": "x", "password": STRONG, "role": "office_admin", "region": world.other_district.pk},
    )
    assert other.status_code == 200 and not User.objects.filter(username="x").exists()
    assert client.get(reverse("users:edit", args=[world.other_office.pk])).status_code == 404
    root = User.objects.create(username="root", is_superuser=True, region=world.district)
    assert client.get(reverse("users:password", args=[root.pk])).status_code == 404
    body = client.get(reverse("users:list")).content.decode()
    assert "liaison" in body and "other_office" not in body and "root" not in body


def test_reset_password_and_deactivate(world, client):
    world.liaison.set_password("old-password-1")
    world.liaison.save()
    client.force_login(world.office)
    assert (
        client.post(reverse("users:password", args=[world.liaison.pk]), {"password": STRONG}).status_code
        == 302
    )
    edit = reverse("users:edit", args=[world.liaison.pk])
    data = {"first_name": "李", "role": "liaison", "department": world.liaison_department.pk, "is_active": ""}
    assert client.post(edit, data).status_code == 302
    world.liaison.refresh_from_db()
    assert world.liaison.check_password(STRONG) and not world.liaison.is_active
    self_edit = client.post(
        reverse("users:edit", args=[world.office.pk]), {"role": "office_admin", "is_active": ""}
    )
    assert self_edit.status_code == 200 and "不能停用自己的账号" in self_edit.content.decode()


@pytest.mark.parametrize("who", ["liaison", "leader", "operator"])
def test_others_may_not_manage_users(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("users:list")).status_code == 403
    assert (
        client.post(reverse("users:password", args=[world.liaison.pk]), {"password": STRONG}).status_code
        == 403
    )


def test_department_contacts_by_the_office_and_its_own_liaison(world, client):
    dept = world.liaison_department
    data = {"short_name": "经委", "kind": "bureau", "contact_name": "陈联络", "contact_phone": "021-59730000"}
    client.force_login(world.liaison)
    assert client.post(reverse("core:department_edit", args=[dept.pk]), data).status_code == 302
    dept.refresh_from_db()
    assert dept.contact_name == "陈联络" and dept.history.first().history_user == world.liaison
    page = client.get(reverse("core:department_detail", args=[dept.pk])).content.decode()
    assert "021-59730000" in page and "联络人" in page
    assert client.get(reverse("core:department_edit", args=[world.operator_department.pk])).status_code == 403
    client.force_login(world.office)
    data["leader_in_charge"] = "王副区长"
    assert client.post(reverse("core:department_edit", args=[dept.pk]), data).status_code == 302
    dept.refresh_from_db()
    assert dept.leader_in_charge == "王副区长"
    client.force_login(world.other_office)
    assert client.get(reverse("core:department_edit", args=[dept.pk])).status_code == 404
