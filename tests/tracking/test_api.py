"""The tracking REST API: permissions as in the pages, the workflow actions, constant query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bioplan.tracking import services
from bioplan.tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_anonymous_is_refused(api, world) -> None:
    for path in (
        "/api/observations/",
        "/api/progress-reports/",
        "/api/reporting-cycles/",
        "/api/indicators/",
    ):
        assert api.get(path).status_code in (401, 403), path


def test_report_workflow_through_the_api(api, world) -> None:
    api.force_authenticate(world.liaison_a)
    response = api.post(
        "/api/progress-reports/",
        {
            "cycle": world.cycle.pk,
            "task": world.task1.pk,
            "progress": "in_progress",
            "percent_done": 30,
            "done_text": "完成调研",
            "next_steps": "",
            "problems": "",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.post(f"/api/progress-reports/{pk}/submit/").json()["state"] == "submitted"
    assert api.post(f"/api/progress-reports/{pk}/accept/", {"comment": ""}, format="json").status_code == 403
    api.force_authenticate(world.liaison_b)
    assert api.get(f"/api/progress-reports/{pk}/").status_code == 404
    api.force_authenticate(world.office)
    assert api.post(f"/api/progress-reports/{pk}/return/", {"comment": ""}, format="json").status_code == 400
    assert (
        api.post(f"/api/progress-reports/{pk}/return/", {"comment": "补充"}, format="json").json()["state"]
        == "returned"
    )
    assert ProgressReport.objects.get(pk=pk).review_comment == "补充"


def test_observation_record_choose_and_target_status(api, world) -> None:
    services.plan_bind_targets(plan=world.plan)
    ind = world.target.binding.indicator
    api.force_authenticate(world.office)
    for year, value, source in (
        (2020, "127", "tax"),
        (2021, "137", "tax"),
        (2022, "148", "tax"),
        (2022, "120", "estimate"),
    ):
        response = api.post(
            "/api/observations/",
            {
                "indicator": ind.pk,
                "region": world.region.pk,
                "year": year,
                "quarter": 0,
                "value": value,
                "source": source,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
    row = api.get("/api/target-status/", {"plan": world.plan.pk}).json()[0]
    assert (row["code"], row["status"], row["actual"]) == ("T01", "green", 148.0)
    estimate = api.get("/api/observations/", {"source": "estimate"}).json()["results"][0]
    assert api.post(f"/api/observations/{estimate['id']}/choose/").json()["is_chosen"] is True
    row = api.get("/api/target-status/", {"plan": world.plan.pk}).json()[0]
    assert (row["status"], row["actual"]) == ("red", 120.0)
    api.force_authenticate(world.leader)
    assert (
        api.post(
            "/api/observations/",
            {
                "indicator": ind.pk,
                "region": world.region.pk,
                "year": 2023,
                "value": "1",
                "source": "tax",
            },
            format="json",
        ).status_code
        == 403
    )


def test_a_second_figure_for_the_same_period_and_source_is_a_correction(api, world) -> None:
    """As on the page: the second figure becomes revision 2; the first stays, no longer latest."""
    services.plan_bind_targets(plan=world.plan)
    api.force_authenticate(world.office)
    body = {
        "indicator": world.target.binding.indicator.pk,
        "region": world.region.pk,
        "year": 2022,
        "quarter": 0,
        "source": "tax",
    }
    first = api.post("/api/observations/", {**body, "value": "148"}, format="json")
    second = api.post("/api/observations/", {**body, "value": "150", "note": "更正"}, format="json")
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert (second.json()["revision"], second.json()["is_latest"]) == (2, True)
    assert api.get(f"/api/observations/{first.json()['id']}/").json()["is_latest"] is False
    latest = api.get("/api/observations/", {"is_latest": "true", "year": 2022}).json()["results"]
    assert [(o["value"], o["revision"]) for o in latest] == [(150.0, 2)]


@pytest.mark.parametrize("path", ["/api/observations/", "/api/progress-reports/", "/api/reporting-cycles/"])
def test_api_lists_have_constant_query_counts(api, world, path, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    api.force_authenticate(world.office)

    def grow(n: int) -> None:
        for i in range(n):
            services.observation_record(
                indicator=ind, region=world.region, year=2000 + i, value=Decimal(i), source="tax"
            )

    grow(2)
    with CaptureQueriesContext(connection) as first:
        assert api.get(path).status_code == 200
    grow(5)
    with django_assert_num_queries(len(first.captured_queries)):
        api.get(path)
