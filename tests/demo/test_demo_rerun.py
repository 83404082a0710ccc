"""`make demo` run again leaves the database as it was, and never touches a plan the office imported."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from bioplan.core.choices import Role
from bioplan.core.models import User
from bioplan.demo.services import demo_drafts
from bioplan.plans.models import Plan
from bioplan.plans.services import plan_import
from bioplan.tracking.models import Observation

pytestmark = pytest.mark.django_db(transaction=False)


def _row_counts() -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models()}


def _demo() -> None:
    call_command("demo_load", per_district=12, stdout=io.StringIO())


def test_demo_again_changes_no_row_and_never_touches_a_plan_the_office_imported() -> None:
    _demo()
    first = _row_counts()
    assert first["tracking_observation"] > 0 and first["enterprises_enterprise"] > 0
    _demo()
    second = _row_counts()
    assert {t: (first[t], second[t]) for t in first if first[t] != second[t]} == {}

    _name, draft = next((n, d) for n, d in demo_drafts() if n.startswith("qingpu"))
    draft.targets[0].value += 1  # the office's 送审稿 of the Qingpu plan: a changed target
    office = User.objects.get(username="office")
    assert office.role == Role.OFFICE_ADMIN
    mine = plan_import(draft=draft, user=office, source_file="送审稿.docx").plan
    assert mine.version == 2
    before = _row_counts()
    simulated_before = Observation.objects.filter(simulated=True).count()
    _demo()
    assert Plan.objects.filter(lineage=mine.lineage).count() == 2  # no v3
    assert Plan.objects.get(lineage=mine.lineage, is_current=True).pk == mine.pk
    assert Observation.objects.filter(simulated=True).count() == simulated_before
    after = _row_counts()
    assert {t: (before[t], after[t]) for t in before if before[t] != after[t]} == {}
