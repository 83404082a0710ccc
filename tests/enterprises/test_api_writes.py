"""Registry writes through the API (enterprises, honours, figures, projects and stages, spaces):
the same services as the pages; 404 out of reach, 403 seen but not allowed, 409 on a version
conflict, 400 with the services' Chinese messages."""

from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.test import APIClient
from tests.enterprises.factories import (
    EnterpriseFactory,
    make_credit_code,
    space,
)

from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour
from bioplan.parks.models import FloorSpace
from bioplan.projects.models import Project


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_office_registers_and_changes_an_enterprise(world):
    body = {
        "name": "接口新药",
        "credit_code": make_credit_code(),
        "district": world.district.pk,
        "park": world.park_a.pk,
        "segment": "biologic",
    }
    created = api(world.office).post("/api/enterprises/", body, format="json")
    assert created.status_code == 201, created.content
    e = Enterprise.objects.get(pk=created.json()["id"])
    assert created.json()["version"] == 1 and e.history.first().history_user == world.office

    changed = api(world.office).patch(
        f"/api/enterprises/{e.pk}/", {"address": "新地址", "version": 1}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2

    stale = api(world.operator).patch(
        f"/api/enterprises/{e.pk}/", {"address": "旧", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["address"] == "新地址" and stale.json()["changed_by"] == "office"

    fixed = api(world.office).patch(
        f"/api/enterprises/{e.pk}/", {"credit_code": make_credit_code()}, format="json"
    )
    assert fixed.status_code == 400 and "不能修改" in str(fixed.json())
    e.refresh_from_db()
    assert e.address == "新地址"


def test_enterprise_refusals(world):
    e = EnterpriseFactory(district=world.district, park=world.park_b)
    assert (
        api(world.other_office)
        .patch(f"/api/enterprises/{e.pk}/", {"address": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api(world.leader).patch(f"/api/enterprises/{e.pk}/", {"address": "x"}, format="json").status_code
        == 403
    )
    # the operator sees only its park's rows: park B's enterprise is out of its reach
    assert api(world.operator).delete(f"/api/enterprises/{e.pk}/").status_code == 404
    body = {
        "name": "别区企业",
        "credit_code": make_credit_code(),
        "district": world.other_district.pk,
        "segment": "cxo",
    }
    refused = api(world.office).post("/api/enterprises/", body, format="json")
    assert refused.status_code == 403 and "无权" in refused.json()["detail"]
    assert Enterprise.objects.count() == 1
    gone = api(world.office).delete(f"/api/enterprises/{e.pk}/?reason=注销")
    assert gone.status_code == 204 and not Enterprise.objects.exists()
    assert Enterprise.history.first().history_change_reason == "注销"


def test_honours_through_the_api(world):
    e = EnterpriseFactory(district=world.district, park=world.park_a)
    client = api(world.operator)
    listed = client.post(
        "/api/enterprise-honours/",
        {"enterprise": e.pk, "kind": "listed", "valid_from": "2024-01-02"},
        format="json",
    )
    assert listed.status_code == 400 and "上市板块" in str(listed.json())
    granted = client.post(
        "/api/enterprise-honours/",
        {"enterprise": e.pk, "kind": "high_tech", "valid_from": "2024-03-01"},
        format="json",
    )
    assert granted.status_code == 201 and granted.json()["valid_until"] == "2027-02-28"
    pk = granted.json()["id"]
    assert (
        client.patch(
            f"/api/enterprise-honours/{pk}/", {"certificate_no": "GR2024"}, format="json"
        ).status_code
        == 200
    )
    assert Honour.objects.get(pk=pk).certificate_no == "GR2024"
    other = EnterpriseFactory(district=world.other_district)
    hidden = client.post(
        "/api/enterprise-honours/",
        {"enterprise": other.pk, "kind": "gazelle", "valid_from": "2024-01-01"},
        format="json",
    )
    assert hidden.status_code == 400 and Honour.objects.count() == 1
    assert api(world.liaison).delete(f"/api/enterprise-honours/{pk}/").status_code == 403
    assert client.delete(f"/api/enterprise-honours/{pk}/").status_code == 204


def test_figures_through_the_api(world):
    e = EnterpriseFactory(district=world.district)
    client = api(world.office)
    body = {"enterprise": e.pk, "year": 2024, "quarter": 0, "revenue": "100.5", "source": "statistics"}
    assert client.post("/api/enterprise-figures/", body, format="json").status_code == 201
    again = client.post("/api/enterprise-figures/", {**body, "revenue": "120"}, format="json")
    assert again.status_code == 201 and EnterpriseFigure.objects.count() == 1
    pk = again.json()["id"]
    patched = client.patch(f"/api/enterprise-figures/{pk}/", {"tax": "9"}, format="json")
    assert patched.status_code == 200
    figure = EnterpriseFigure.objects.get()
    assert figure.revenue == Decimal("120") and figure.tax == Decimal("9")
    moved = client.patch(f"/api/enterprise-figures/{pk}/", {"year": 2023}, format="json")
    assert moved.status_code == 400
    assert client.post("/api/enterprise-figures/", {**body, "year": 70000}, format="json").status_code == 400


def test_projects_and_stages_through_the_api(world):
    client = api(world.office)
    body = {
        "name": "接口项目",
        "investor_name": "投资方",
        "district": world.district.pk,
        "park": world.park_a.pk,
        "project_type": "new",
        "total_investment": "5",
        "responsible_department": world.liaison_department.pk,
        "planned": {"signed": "2024-01-10", "land": "2024-05-01"},
    }
    created = client.post("/api/projects/", body, format="json")
    assert created.status_code == 201, created.content
    pk, version = created.json()["id"], created.json()["version"]
    assert created.json()["next_planned_on"] == "2024-01-10"

    liaison = api(world.liaison)
    assert liaison.patch(f"/api/projects/{pk}/", {"leader_name": "李四"}, format="json").status_code == 403
    bad = liaison.post(f"/api/projects/{pk}/stages/", {"planned": {"started": "2023-01-01"}}, format="json")
    assert bad.status_code == 400 and "计划日期早于" in str(bad.json())
    planned = liaison.post(
        f"/api/projects/{pk}/stages/", {"planned": {"started": "2024-09-01"}}, format="json"
    )
    assert planned.status_code == 200
    reached = liaison.post(
        f"/api/projects/{pk}/advance/", {"stage": "signed", "actual_on": "2024-01-12"}, format="json"
    )
    assert reached.status_code == 200 and reached.json()["stage"] == "signed"

    stale = client.patch(f"/api/projects/{pk}/", {"leader_name": "王五", "version": version}, format="json")
    assert stale.status_code == 409 and stale.json()["changed_by"] == "liaison"
    current = stale.json()["current"]["version"]
    assert (
        client.patch(
            f"/api/projects/{pk}/", {"leader_name": "王五", "version": current}, format="json"
        ).status_code
        == 200
    )
    assert (
        api(world.other_office)
        .post(f"/api/projects/{pk}/advance/", {"stage": "land", "actual_on": "2024-05-01"}, format="json")
        .status_code
        == 404
    )
    assert client.delete(f"/api/projects/{pk}/?reason=终止").status_code == 204
    assert not Project.objects.exists()


def test_spaces_through_the_api(world):
    existing = space(world.registry_a, floor="2F")
    client = api(world.operator)
    body = {
        "building": existing.building_id,
        "floor": "3F",
        "space_type": existing.space_type,
        "area_m2": "800",
    }
    created = client.post("/api/floor-spaces/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    let = client.patch(f"/api/floor-spaces/{pk}/", {"status": "occupied"}, format="json")
    assert let.status_code == 400 and "入驻企业" in str(let.json())
    assert (
        client.patch(
            f"/api/floor-spaces/{pk}/", {"status": "occupied", "tenant_name": "某公司"}, format="json"
        ).status_code
        == 200
    )
    other = space(world.registry_b, floor="1F")
    assert client.patch(f"/api/floor-spaces/{other.pk}/", {"rent": "2"}, format="json").status_code == 404
    assert api(world.leader).delete(f"/api/floor-spaces/{pk}/").status_code == 403
    assert client.delete(f"/api/floor-spaces/{pk}/").status_code == 204
    assert FloorSpace.objects.count() == 2
