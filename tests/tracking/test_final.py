"""A plan past its end year (已到期): no new cycles or reminders, the 终期评估 on its page, the
dashboard and in a .docx; running plans on the dashboard by default (docs/tracking.md §11)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory
from tests.tracking.conftest import RUNNING_UNTIL, CycleFactory

from bioplan.plans.models import Plan
from bioplan.tracking import services
from bioplan.tracking.choices import Progress, ReportState
from bioplan.tracking.final import final_evaluation
from bioplan.tracking.models import ProgressReport
from bioplan.tracking.selectors import chase_list

pytestmark = pytest.mark.django_db


def _end(world, year: int = 2023) -> Plan:  # type: ignore[no-untyped-def]
    Plan.objects.filter(pk=world.plan.pk).update(period_end=year)
    world.plan.refresh_from_db()
    return world.plan


def _figures(world, values: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    services.plan_bind_targets(plan=world.plan)
    ind = world.target.binding.indicator
    for year, value in values.items():
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(value), source="stat_flash"
        )


def _report(world, task, department, cycle, progress: str, percent: int) -> None:  # type: ignore[no-untyped-def]
    ProgressReport.objects.create(
        cycle=cycle,
        task=task,
        department=department,
        progress=progress,
        percent_done=percent,
        state=ReportState.ACCEPTED,
        submitted_at=dt.datetime(cycle.year, 12, 20, tzinfo=dt.UTC),
    )


def test_a_plan_is_ended_after_its_end_year_by_the_calendar(world) -> None:
    assert not world.plan.is_ended
    plan = _end(world, 2023)
    assert plan.is_ended
    assert list(Plan.objects.ended(dt.date(2024, 1, 1))) == [plan]
    assert list(Plan.objects.running(dt.date(2023, 12, 31))) == [plan]


def test_no_new_cycle_and_no_reminders_after_every_plan_of_the_district_ended(world) -> None:
    _end(world, 2023)
    with pytest.raises(ValidationError, match="均已于2023年到期"):
        services.cycle_open(
            region=world.region, year=2024, quarter=3, deadline=dt.date(2024, 10, 10), user=world.office
        )
    with pytest.raises(ValidationError, match="不能开启或催办2024年"):
        services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 8, 1), user=world.office)
    cycle = services.cycle_open(
        region=world.region, year=2023, quarter=4, deadline=dt.date(2024, 1, 10), user=world.office
    )
    assert cycle.pk is not None  # the plan's own last quarter is still reported


def test_an_ended_plan_expects_no_reports_beside_a_running_one(world) -> None:
    _end(world, 2023)
    running = PlanFactory(region=world.region, title="接续方案", period_start=2024, period_end=RUNNING_UNTIL)
    task = TaskFactory(plan=running, number="1", title="新任务")
    AssignmentFactory(task=task, department=world.dep_a, role="lead")
    rows = {r.department.name: r.expected for r in chase_list(cycle=world.cycle, today=dt.date(2024, 8, 1))}
    assert rows == {"区经委": 1}  # only the running plan's task; the ended plan's two are not chased


def test_final_evaluation_judges_each_target_on_its_own_year_and_tasks_on_their_last_reports(world) -> None:
    plan = _end(world, 2023)
    _figures(world, {2020: "120", 2022: "150", 2023: "152", 2024: "175"})  # 2024 must not count
    last = CycleFactory(region=world.region, year=2023, quarter=4, deadline=dt.date(2024, 1, 10))
    _report(world, world.task1, world.dep_a, last, Progress.DONE, 100)
    _report(world, world.task1, world.dep_b, last, Progress.DONE, 100)
    final = final_evaluation(plan=plan)
    [row] = final.targets
    assert (row.year, row.actual, row.met, row.gap) == (2023, Decimal("152"), False, Decimal("8"))
    states = {r.task.number: (r.progress_label, r.reported) for r in final.tasks}
    assert states == {"1": ("已完成", "2023Q4"), "2": ("未报送", "")}
    assert (final.met, final.not_met, final.unjudged, final.tasks_done) == (0, 1, 0, 1)


def test_a_target_without_a_figure_of_its_year_is_not_judged(world) -> None:
    plan = _end(world, 2023)
    _figures(world, {2020: "120", 2022: "170"})
    [row] = final_evaluation(plan=plan).targets
    assert (row.actual, row.met) == (None, None)


def test_plan_page_and_dashboard_show_the_final_evaluation_and_the_docx_downloads(client, world) -> None:
    plan = _end(world, 2023)
    _figures(world, {2020: "120", 2022: "150", 2023: "165"})
    client.force_login(world.leader)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="final-evaluation"' in page and 'data-met="yes"' in page
    board = client.get(reverse("tracking:dashboard"), {"plan": plan.pk}).content.decode()
    assert 'id="final-evaluation"' in board
    assert "预计" not in board and "序时进度" not in board  # no forecast, no expected path any more
    response = client.get(reverse("reports:final_docx", args=[plan.pk]))
    assert response.status_code == 200
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
        + [c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells]
    )
    assert "终期评估报告" in text and "达成1项" in text and "165" in text and "壮大创新药产业" in text
    section = Document(io.BytesIO(response.content)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_running_plan_has_no_final_report(client, world) -> None:
    client.force_login(world.leader)
    assert client.get(reverse("reports:final_docx", args=[world.plan.pk])).status_code == 404
    assert (
        'id="final-evaluation"'
        not in client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    )


def test_dashboard_shows_running_plans_by_default_and_ended_ones_under_the_filter(client, world) -> None:
    old = PlanFactory(region=world.region, title="上一期行动方案", period_start=2018, period_end=2020)
    client.force_login(world.leader)
    running = client.get(reverse("tracking:dashboard")).content.decode()
    ended = client.get(reverse("tracking:dashboard"), {"ended": "1"}).content.decode()
    assert world.plan.title in running and old.title not in running
    assert old.title in ended and world.plan.title not in ended
