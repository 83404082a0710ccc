"""The enterprise registry's record forms: new/edit/delete pages calling the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from tests.enterprises.factories import EnterpriseFactory, FigureFactory, HonourFactory, make_credit_code

from bioplan.enterprises import services
from bioplan.enterprises.models import CultivationEntry, Enterprise, EnterpriseFigure, Honour, Product


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _form(world, **extra):
    data = {
        "name": "青浦新药有限公司",
        "credit_code": make_credit_code().lower(),
        "park": world.park_a.pk,
        "segment": "biologic",
        "other_segments": ["cxo"],
        "is_above_scale": "on",
        "founded_on": "2019-05-01",
        "address": "华浦路 500 号",
    }
    data.update(extra)
    return data


def test_office_registers_an_enterprise_through_the_form(world, client):
    client.force_login(world.office)
    page = client.get(reverse("enterprises:create"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "统一社会信用代码" in body and "data-bp-searchable" in body and "tom-select" in body

    response = client.post(reverse("enterprises:create"), _form(world))

    e = Enterprise.objects.get(name="青浦新药有限公司")
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:detail", args=[e.pk])
    assert e.district == world.district and e.park == world.park_a
    assert e.credit_code == e.credit_code.upper() and e.other_segments == ["cxo"] and e.is_above_scale
    assert e.history.first().history_user == world.office


def test_bad_input_is_shown_in_chinese_and_nothing_is_saved(world, client):
    client.force_login(world.office)
    response = client.post(reverse("enterprises:create"), _form(world, credit_code="123", name=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "该字段是必填项" in body  # Django's own message, in Chinese
    assert "统一社会信用代码应为18位" in body and "is-invalid" in body
    assert not Enterprise.objects.exists()


def test_a_taken_credit_code_is_refused(world, client):
    other = EnterpriseFactory(district=world.district)
    client.force_login(world.office)
    response = client.post(reverse("enterprises:create"), _form(world, credit_code=other.credit_code))
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_park_operator_may_only_choose_its_parks(world, client):
    client.force_login(world.operator)
    page = client.get(reverse("enterprises:create")).content.decode()
    assert world.park_a.name in page and world.park_b.name not in page
    response = client.post(reverse("enterprises:create"), _form(world, park=world.park_b.pk))
    assert response.status_code == 200 and not Enterprise.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_readers_may_not_open_the_forms(world, client, who):
    e = EnterpriseFactory(district=world.district)
    client.force_login(getattr(world, who))
    assert client.get(reverse("enterprises:create")).status_code == 403
    assert client.get(reverse("enterprises:edit", args=[e.pk])).status_code == 403
    assert client.post(reverse("enterprises:delete", args=[e.pk]), {"reason": "x"}).status_code == 403
    assert Enterprise.objects.filter(pk=e.pk).exists()


def test_another_district_gets_404(world, client):
    e = EnterpriseFactory(district=world.district)
    client.force_login(world.other_office)
    assert client.get(reverse("enterprises:edit", args=[e.pk])).status_code == 404


def test_edit_saves_and_a_concurrent_edit_is_refused(world, client):
    e = EnterpriseFactory(district=world.district, park=world.park_a, name="旧名称")
    client.force_login(world.office)
    page = client.get(reverse("enterprises:edit", args=[e.pk])).content.decode()
    assert 'name="version" value="1"' in page and "disabled" in page  # the credit code is fixed

    services.enterprise_update(
        enterprise=Enterprise.objects.get(pk=e.pk), user=world.operator, address="别处"
    )
    data = _form(world, name="新名称", version=1)
    data.pop("credit_code")
    response = client.post(reverse("enterprises:edit", args=[e.pk]), data)
    assert response.status_code == 200
    assert "operator" in response.content.decode() and "请刷新" in response.content.decode()
    e.refresh_from_db()
    assert e.name == "旧名称" and e.version == 2

    data["version"] = 2
    response = client.post(reverse("enterprises:edit", args=[e.pk]), data)
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.name == "新名称" and e.version == 3 and e.address == "华浦路 500 号"


def test_delete_asks_for_a_reason_and_records_it(world, client):
    e = EnterpriseFactory(district=world.district)
    HonourFactory(enterprise=e, kind="high_tech")
    client.force_login(world.office)
    page = client.get(reverse("enterprises:delete", args=[e.pk])).content.decode()
    assert "1 项资质" in page
    assert client.post(reverse("enterprises:delete", args=[e.pk]), {"reason": ""}).status_code == 200
    assert Enterprise.objects.filter(pk=e.pk).exists()

    response = client.post(reverse("enterprises:delete", args=[e.pk]), {"reason": "注销"})
    assert response.status_code == 302 and not Enterprise.objects.filter(pk=e.pk).exists()
    last = Enterprise.history.filter(id=e.pk).first()
    assert last.history_type == "-" and last.history_change_reason == "注销"
    assert last.history_user == world.office


def test_honour_form_grants_edits_and_deletes(world, client):
    e = EnterpriseFactory(district=world.district, park=world.park_a)
    client.force_login(world.operator)
    url = reverse("enterprises:honour_new", args=[e.pk])
    bad = client.post(url, {"kind": "listed", "valid_from": "2024-03-01", "valid_until": "2023-01-01"})
    assert bad.status_code == 200 and not Honour.objects.exists()
    assert "上市" in bad.content.decode()
    assert client.post(url, {"kind": "high_tech", "valid_from": "2024-03-01"}).status_code == 302
    honour = Honour.objects.get()
    assert honour.valid_until == dt.date(2027, 2, 28)  # the service's three-year rule

    edit = reverse("enterprises:honour_edit", args=[honour.pk])
    data = {
        "kind": "high_tech",
        "valid_from": "2024-03-01",
        "valid_until": "2026-12-31",
        "certificate_no": "GR1",
    }
    assert client.post(edit, data).status_code == 302
    honour.refresh_from_db()
    assert honour.valid_until == dt.date(2026, 12, 31) and honour.certificate_no == "GR1"

    assert (
        client.post(
            reverse("enterprises:honour_delete", args=[honour.pk]), {"reason": "录入错误"}
        ).status_code
        == 302
    )
    assert not Honour.objects.exists()


def test_figure_form_records_and_corrects_a_period(world, client):
    e = EnterpriseFactory(district=world.district)
    client.force_login(world.office)
    url = reverse("enterprises:figure_new", args=[e.pk])
    data = {"year": 2024, "quarter": 0, "revenue": "1200.5", "source": "statistics"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "revenue": "1300"}).status_code == 302  # same period: a correction
    figure = EnterpriseFigure.objects.get()
    assert figure.revenue == Decimal("1300")
    bad = client.post(url, {**data, "year": 70000, "quarter": 5})
    assert bad.status_code == 200 and EnterpriseFigure.objects.count() == 1

    edit = reverse("enterprises:figure_edit", args=[figure.pk])
    assert client.get(edit).status_code == 200
    assert (
        client.post(reverse("enterprises:figure_delete", args=[figure.pk]), {"reason": "重复"}).status_code
        == 302
    )
    assert not EnterpriseFigure.objects.exists()


def test_product_form_adds_corrects_and_advances(world, client):
    e = EnterpriseFactory(district=world.district)
    FigureFactory(enterprise=e, year=2023)
    client.force_login(world.office)
    new = reverse("enterprises:product_new", args=[e.pk])
    data = {"name": "QP-101", "kind": "drug", "phase": "ind", "reached_on": "2023-01-10"}
    assert client.post(new, data).status_code == 302
    product = Product.objects.get()
    edit = reverse("enterprises:product_edit", args=[product.pk])
    assert (
        client.post(edit, {"action": "save", "name": "QP-101 注射液", "indication": "肺癌"}).status_code
        == 302
    )
    back = client.post(edit, {"action": "advance", "phase": "preclinical", "reached_on": "2024-01-01"})
    assert back.status_code == 200 and "只能向后推进" in back.content.decode()
    assert (
        client.post(edit, {"action": "advance", "phase": "phase1", "reached_on": "2024-01-01"}).status_code
        == 302
    )
    product.refresh_from_db()
    assert product.name == "QP-101 注射液" and product.phase == "phase1" and product.milestones.count() == 2


def test_cultivation_moves_need_a_reason(world, client):
    e = EnterpriseFactory(district=world.district)
    client.force_login(world.office)
    url = reverse("enterprises:cultivation", args=[e.pk])
    first = CultivationEntry._meta.get_field("tier").choices[0][0]
    assert client.post(url, {"tier": first, "entered_on": "2024-01-01"}).status_code == 200
    assert not CultivationEntry.objects.exists()
    assert (
        client.post(url, {"tier": first, "entered_on": "2024-01-01", "reason": "营收达标"}).status_code == 302
    )
    entry = CultivationEntry.objects.get()
    assert entry.history.first().history_change_reason == "营收达标"
    remove = reverse("enterprises:cultivation_remove", args=[e.pk])
    assert client.post(remove, {"reason": "迁出本区"}).status_code == 302
    assert not CultivationEntry.objects.exists()
