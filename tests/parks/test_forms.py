"""The park registry's record forms: land parcels, buildings and floor space under a registered park."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from tests.enterprises.factories import parcel, space

from bioplan.parks.models import Building, FloorSpace, LandParcel


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_operator_adds_a_building_and_a_space_then_lets_it(world, client):
    park = world.registry_a
    client.force_login(world.operator)
    assert "新增空间" in client.get(reverse("parks:detail", args=[park.pk])).content.decode()
    new_building = reverse("parks:record_new", args=[park.pk, "building"])
    assert client.post(new_building, {"name": "3号楼", "floors": 6}).status_code == 302
    building = Building.objects.get(name="3号楼")
    new_space = reverse("parks:record_new", args=[park.pk, "space"])
    data = {
        "building": building.pk,
        "floor": "2F",
        "space_type": "office",
        "area_m2": "500",
        "status": "vacant",
    }
    assert client.post(new_space, data).status_code == 302
    s = FloorSpace.objects.get(building=building)
    edit = reverse("parks:record_edit", args=["space", s.pk])
    refused = client.post(edit, {**data, "status": "occupied"})
    assert refused.status_code == 200 and "请填写入驻企业" in refused.content.decode()
    assert client.post(edit, {**data, "status": "occupied", "tenant_name": "某公司"}).status_code == 302
    s.refresh_from_db()
    assert s.tenant_name == "某公司" and s.history.first().history_user == world.operator


def test_parcel_edit_and_delete(world, client):
    p = parcel(world.registry_a, "QP-01", "30")
    client.force_login(world.office)
    edit = reverse("parks:record_edit", args=["parcel", p.pk])
    data = {"code": "QP-01", "area_mu": "32.5", "land_use": p.land_use, "status": "supplied"}
    assert client.post(edit, data).status_code == 200  # supplied needs its date
    assert (
        client.post(edit, {**data, "supplied_on": "2024-05-01", "supplied_to": "某药企"}).status_code == 302
    )
    p.refresh_from_db()
    assert p.area_mu == Decimal("32.5") and p.status == "supplied"
    assert (
        client.post(reverse("parks:record_delete", args=["parcel", p.pk]), {"reason": "重复"}).status_code
        == 302
    )
    assert not LandParcel.objects.exists()


def test_refusals(world, client):
    s = space(world.registry_b)
    client.force_login(world.operator)  # runs park A only
    assert client.get(reverse("parks:record_edit", args=["space", s.pk])).status_code == 404
    client.force_login(world.leader)
    assert client.get(reverse("parks:record_edit", args=["space", s.pk])).status_code == 403
    assert client.get(reverse("parks:record_new", args=[world.registry_b.pk, "building"])).status_code == 403
    client.force_login(world.office)
    assert client.get(reverse("parks:record_new", args=[world.registry_b.pk, "nonsense"])).status_code == 404
    building = s.building
    assert (
        client.post(
            reverse("parks:record_delete", args=["building", building.pk]), {"reason": "拆除"}
        ).status_code
        == 302
    )
    assert not FloorSpace.objects.exists()


def test_park_edit_operator_named_by_the_office_only(world, client):
    park = world.registry_a
    client.force_login(world.operator)
    data = {"park_type": park.park_type, "area_km2": "3.5", "latitude": "31.15", "longitude": "121.12"}
    assert client.post(reverse("parks:edit", args=[park.pk]), data).status_code == 302
    park.refresh_from_db()
    assert park.area_km2 == Decimal("3.5") and park.operator_department == world.operator_department
    # the operator's post cannot change the operator (the field is disabled for it)
    client.post(
        reverse("parks:edit", args=[park.pk]), {**data, "operator_department": world.liaison_department.pk}
    )
    park.refresh_from_db()
    assert park.operator_department == world.operator_department
    client.force_login(world.office)
    assert (
        client.post(reverse("parks:edit", args=[park.pk]), {**data, "operator_department": ""}).status_code
        == 302
    )
    park.refresh_from_db()
    assert park.operator_department is None
    client.force_login(world.leader)
    assert client.get(reverse("parks:edit", args=[park.pk])).status_code == 403
