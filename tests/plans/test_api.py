from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from bioplan.ingest.draft import PlanDraft
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(draft_dict):  # type: ignore[no-untyped-def]
    return plan_import(draft=PlanDraft.from_dict(draft_dict)).plan


def test_openapi_schema_is_valid_and_lists_every_endpoint(office_client):
    response = office_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    validate(schema)
    for path in (
        "/api/regions/",
        "/api/departments/",
        "/api/plans/",
        "/api/targets/",
        "/api/tasks/",
        "/api/parks/",
    ):
        assert path in schema["paths"], path


def test_docs_page_uses_no_cdn(office_client):
    html = office_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html.lower()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_targets_endpoint_filters_by_plan_and_unit(office_client, plan):
    data = office_client.get("/api/targets/", {"plan": plan.pk, "unit": "亿元"}).json()

    assert [t["code"] for t in data["results"]] == ["T01"]
    assert data["results"][0]["value"] == 500.0


def test_tasks_endpoint_nests_assignments(office_client, plan):
    data = office_client.get("/api/tasks/", {"plan": plan.pk, "number": "1"}).json()

    assert [(a["name_as_written"], a["role"]) for a in data["results"][0]["assignments"]] == [
        ("区经委", "lead"),
        ("区科委", "co"),
        ("区市场监督管理局", "co"),
    ]


def test_list_endpoints_have_bounded_query_counts(office_client, draft_dict, django_assert_max_num_queries):
    for i in range(5):
        plan_import(
            draft=PlanDraft.from_dict({**draft_dict, "plan": {**draft_dict["plan"], "title": f"方案{i}"}})
        )
    for path in (
        "/api/plans/",
        "/api/targets/",
        "/api/tasks/",
        "/api/parks/",
        "/api/departments/",
        "/api/regions/",
    ):
        with django_assert_max_num_queries(8):
            assert office_client.get(path).status_code == 200


def test_api_is_read_only(office_client, plan):
    assert office_client.post("/api/plans/", {"title": "x"}).status_code == 405
    assert office_client.delete(f"/api/plans/{plan.pk}/").status_code == 405


def test_researcher_api_hides_unpublished_plans(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="researcher"))
    assert client.get("/api/plans/").json()["count"] == 0
    assert client.get(f"/api/targets/?plan={plan.pk}").json()["count"] == 0
