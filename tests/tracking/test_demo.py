"""`tracking_demo`: simulated figures and reports, all three colours, a source conflict, fixed seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Plan
from bioplan.plans.services import plan_import
from bioplan.tracking.models import Observation, ProgressReport
from bioplan.tracking.selectors import conflicts, target_statuses

GOLD = Path("/work/shared/eval/gold")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not GOLD.exists(), reason="shared gold plans not available"),
]


def _plans() -> list[Plan]:
    for path in sorted(GOLD.glob("*.gold.json")):
        plan_import(draft=PlanDraft.from_json_file(path), source_file=path.name)
    return list(Plan.objects.current().order_by("pk"))


def test_demo_shows_all_colours_a_conflict_and_marks_everything_simulated(capsys) -> None:
    from bioplan.core.models import User

    plans = _plans()
    call_command("tracking_demo")
    assert "模拟数据" in capsys.readouterr().out
    colours = {ts.status for ts in target_statuses(plans=plans, as_of=(2023, 0)) if ts.bound}
    assert {"green", "yellow", "red"} <= colours
    admin = User.objects.create(username="root", is_superuser=True)
    assert len(conflicts(user=admin)) >= 1
    assert Observation.objects.filter(simulated=False).count() == 0
    assert ProgressReport.objects.filter(simulated=True).count() == ProgressReport.objects.count() > 0
    assert (
        ProgressReport.objects.filter(state="returned").exists()
        or ProgressReport.objects.filter(state="submitted").exists()
    )


def test_demo_is_reproducible() -> None:
    plans = _plans()
    from bioplan.tracking.demo import demo_populate

    demo_populate(plans=plans, today=dt.date(2024, 12, 1))
    first = sorted(Observation.objects.current_revisions().values_list("year", "quarter", "value"))
    demo_populate(plans=plans, today=dt.date(2024, 12, 1))
    assert sorted(Observation.objects.current_revisions().values_list("year", "quarter", "value")) == first


def test_cycles_of_districts_whose_plans_ended_are_closed_without_reminders() -> None:
    from bioplan.tracking.choices import CycleState
    from bioplan.tracking.demo import demo_populate
    from bioplan.tracking.models import Reminder, ReportingCycle

    plans = _plans()
    demo_populate(plans=plans, today=dt.date(2026, 12, 2))
    by_region: dict[str, set[tuple[int, int, str]]] = {}
    for c in ReportingCycle.objects.select_related("region"):
        by_region.setdefault(c.region.name, set()).add((c.year, c.quarter, c.state))
    ends = {p.region.name: p.period_end for p in plans}
    for region, cycles in by_region.items():
        if ends.get(region) is not None and ends[region] < 2026:
            assert {state for *_, state in cycles} == {CycleState.CLOSED}, region
            assert max((y, q) for y, q, _ in cycles) <= (ends[region], 4), region
    running = [r for r, end in ends.items() if end is not None and end >= 2026]
    for region in running:
        assert (2026, 3, CycleState.OPEN) in by_region.get(region, set()) or region not in by_region
    assert not Reminder.objects.filter(cycle__state=CycleState.CLOSED).exists()
