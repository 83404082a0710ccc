"""Values PostgreSQL would refuse (NUL, years beyond a smallint or outside 2000–2100) are refused with a
message by every way in — API, plan JSON page and CLI, registry Excel — on SQLite as on PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient
from tests.enterprises.factories import make_credit_code
from tests.enterprises.fixtures import world as registry_world  # noqa: F401
from tests.enterprises.sheet_helpers import append_row, export_book, import_book
from tests.tracking.conftest import world  # noqa: F401

from bioplan.enterprises.models import Enterprise
from bioplan.plans.models import Plan
from bioplan.tracking import services
from bioplan.tracking.models import Observation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [70000, 32000, 1999, 2101])
def test_api_refuses_a_figure_for_a_year_outside_2000_2100(world, year) -> None:  # noqa: F811
    services.plan_bind_targets(plan=world.plan)
    api = APIClient()
    api.force_authenticate(world.office)
    body = {
        "indicator": world.target.binding.indicator.pk,
        "region": world.region.pk,
        "year": year,
        "value": "1",
    }
    response = api.post("/api/observations/", {**body, "source": "tax"}, format="json")
    assert response.status_code == 400
    assert f"年份 {year} 不在 2000–2100 之间" in response.json()["year"][0]
    assert not Observation.objects.exists()


def test_api_refuses_nul_in_a_figure_note(world) -> None:  # noqa: F811
    services.plan_bind_targets(plan=world.plan)
    api = APIClient()
    api.force_authenticate(world.office)
    body = {"indicator": world.target.binding.indicator.pk, "region": world.region.pk, "year": 2022}
    response = api.post(
        "/api/observations/", {**body, "value": "1", "source": "tax", "note": "a\x00b"}, format="json"
    )
    assert response.status_code == 400
    assert not Observation.objects.exists()


def _upload(draft: dict, name: str = "plan.json") -> io.BytesIO:
    f = io.BytesIO(json.dumps(draft, ensure_ascii=True).encode())  # ASCII escapes: "\u0000" in the file
    f.name = name
    return f


def test_plan_json_with_nul_is_refused_on_the_page_naming_the_field(office_client, draft_dict) -> None:
    draft_dict["tasks"][1]["title"] = "建设\x00特色园区"
    response = office_client.post(reverse("plans:import"), {"file": _upload(draft_dict)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "tasks[1].title" in html and "U+0000" in html
    assert not Plan.objects.exists()


def test_plan_json_with_nul_in_the_region_is_refused_before_any_query(office_client, draft_dict) -> None:
    draft_dict["plan"]["region"] = "示范\x00区"  # PostgreSQL refuses NUL even in a lookup
    response = office_client.post(reverse("plans:import"), {"file": _upload(draft_dict)})
    assert response.status_code == 200 and "plan.region" in response.content.decode()
    assert not Plan.objects.exists()


def test_plan_json_with_a_year_outside_2000_2100_is_refused(office_client, draft_dict) -> None:
    draft_dict["targets"][0]["year"] = 20260
    html = office_client.post(reverse("plans:import"), {"file": _upload(draft_dict)}).content.decode()
    assert "targets[0].year" in html and "20260" in html
    assert not Plan.objects.exists()


def test_plan_json_with_nul_is_refused_by_the_cli(tmp_path, draft_dict) -> None:
    draft_dict["targets"][0]["quote"] = "确保\x00"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(draft_dict))
    err = io.StringIO()
    with pytest.raises(Exception, match="not imported"):
        call_command("plans_import", str(path), stderr=err)
    assert "targets[0].quote" in err.getvalue()
    assert not Plan.objects.exists()


def test_registry_excel_with_nul_is_a_row_problem_and_nothing_is_saved(registry_world, tmp_path) -> None:  # noqa: F811
    book = export_book("enterprises", registry_world.office, registry_world.district)
    before = Enterprise.objects.count()
    # openpyxl writes the text as is and reads the OOXML escape _x0000_ back as NUL, as a crafted file would.
    append_row(
        book, {"统一社会信用代码": make_credit_code(), "企业名称": "恶意_x0000_企业", "主营领域": "中药"}
    )
    outcome = import_book(book, "enterprises", tmp_path, registry_world.office, registry_world.district)
    assert [(p.column, "U+0000" in p.problem) for p in outcome.problems] == [("企业名称", True)]
    assert Enterprise.objects.count() == before
