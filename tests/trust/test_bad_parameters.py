"""Query-string values that used to give a 500 (the 2026-12 attack test): a malformed ?as_of=, ?quarter=0Q1,
23-digit ids and limits. Each answers with a message or the default, on SQLite and PostgreSQL.
(test_query_string_properties.py tries these and random ones on every list route.)"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from tests.tracking.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db
HUGE = "9" * 23


@pytest.mark.parametrize("as_of", ["xx", "0Q1", "2024Q9", HUGE, "²"])
def test_target_status_with_a_malformed_as_of_is_a_400_naming_it(world, as_of) -> None:  # noqa: F811
    api = APIClient()
    api.force_authenticate(world.office)
    response = api.get("/api/target-status/", {"plan": world.plan.pk, "as_of": as_of})
    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]


@pytest.mark.parametrize("plan", [HUGE, "²", "-1"])
def test_target_status_with_an_impossible_plan_id_is_a_400(world, plan) -> None:  # noqa: F811
    api = APIClient()
    api.force_authenticate(world.office)
    assert api.get("/api/target-status/", {"plan": plan}).status_code == 400


@pytest.mark.parametrize("as_of", ["xx", "0Q1", "2024Q9"])
def test_dashboard_with_a_malformed_as_of_says_so_and_shows_the_latest(client, world, as_of) -> None:  # noqa: F811
    client.force_login(world.office)
    response = client.get(reverse("tracking:dashboard"), {"as_of": as_of, "plan": world.plan.pk})
    assert response.status_code == 200
    assert "无法识别" in response.content.decode() or "应为 1–4" in response.content.decode()


@pytest.mark.parametrize("quarter", ["0Q1", "2024Q0", HUGE, "xx"])
def test_quarterly_report_with_a_malformed_quarter_is_the_current_quarter(client, world, quarter) -> None:  # noqa: F811
    client.force_login(world.office)
    response = client.get(reverse("reports:quarterly_docx", args=[world.plan.pk]), {"quarter": quarter})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/observations/", "limit"),
        ("/api/observations/", "offset"),
        ("/api/plans/", "limit"),
        ("/api/observations/", "indicator"),
        ("/api/observations/", "year"),
        ("/api/observations/", "region"),
        ("/api/projects/", "park"),
        ("/api/tasks/", "department"),
    ],
)
def test_23_digit_numbers_in_api_lists_are_not_server_errors(world, path, param) -> None:  # noqa: F811
    api = APIClient()
    api.force_authenticate(world.office)
    response = api.get(path, {param: HUGE})
    assert response.status_code in (200, 400)
    if param == "limit":
        assert response.status_code == 200 and response.json()["results"] is not None
    if param == "offset":
        assert response.json()["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/enterprises/?park=" + HUGE,
        "/enterprises/?park=²",
        "/enterprises/pool/?year=" + HUGE,
        "/projects/?park=" + HUGE + "&department=" + HUGE,
        "/registry/parks/spaces/?park=" + HUGE,
        "/tracking/figures/?indicator=" + HUGE,
        "/tracking/?plan=" + HUGE + "&region=²",
    ],
)
def test_23_digit_ids_on_pages_are_ignored(client, world, url) -> None:  # noqa: F811
    client.force_login(world.office)
    assert client.get(url).status_code in (200, 404)
