"""What the quarterly report and the spreadsheets show, read through tracking's and plans' selectors."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bioplan.plans.models import Assignment, Plan, Task
from bioplan.tracking.choices import ReportState
from bioplan.tracking.models import ProgressReport, ReportingCycle
from bioplan.tracking.progress import UNKNOWN
from bioplan.tracking.selectors import (
    ChaseRow,
    TargetStatus,
    chase_list,
    status_counts,
    target_statuses,
    task_statuses,
)


@dataclass
class TaskLine:
    task: Task
    lead: str
    co: list[str]
    status: str
    reports: list[ProgressReport]


@dataclass
class QuarterlyReport:
    """Everything in the 季度通报 of one plan."""

    plan: Plan
    year: int
    quarter: int
    cycle: ReportingCycle | None
    targets: list[TargetStatus]
    target_counts: dict[str, int]
    tasks_by_lead: dict[str, list[TaskLine]]
    task_counts: dict[str, int]
    problems: list[ProgressReport]
    late: list[ChaseRow]
    simulated: bool
    issued_on: dt.date = field(default_factory=timezone.localdate)

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


def quarterly_report(
    *, plan: Plan, year: int, quarter: int, today: dt.date | None = None, user: Any = None
) -> QuarterlyReport:
    """The report of `plan` for a quarter: targets as of its end, the cycle's reports, late departments.

    Given a `user`, the departments' report texts are those the user may read (a liaison: its own
    department's); without one (the operator's CLI) every report."""
    today = today or timezone.localdate()
    targets = target_statuses(plans=[plan], as_of=(year, quarter))
    cycle = ReportingCycle.objects.filter(region=plan.region_id, year=year, quarter=quarter).first()
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    problems: list[ProgressReport] = []
    if cycle is not None:
        readable = ProgressReport.objects.all() if user is None else ProgressReport.objects.visible_to(user)
        for r in (
            readable.filter(cycle=cycle, task__plan=plan)
            .exclude(state=ReportState.DRAFT)
            .select_related("department", "task")
            .order_by("task__position", "department__name")
        ):
            reports[r.task_id].append(r)
            if r.problems.strip():
                problems.append(r)
    colours = task_statuses(plans=[plan], today=min(today, _quarter_end(year, quarter)))
    by_lead: dict[str, list[TaskLine]] = defaultdict(list)
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(task__plan=plan)
        .select_related("department")
        .order_by("task_id", "position")
    ):
        assignments[a.task_id].append(a)
    for task in plan.tasks.order_by("position"):
        assigned = assignments.get(task.pk, [])
        lead = next((a.department.name for a in assigned if a.role == "lead"), "未明确牵头部门")
        co = [a.department.name for a in assigned if a.role != "lead"]
        by_lead[lead].append(
            TaskLine(task, lead, co, colours.get(task.pk, UNKNOWN), reports.get(task.pk, []))
        )
    late = [row for row in chase_list(cycle=cycle, today=today) if row.missing or row.late] if cycle else []
    simulated = any(ts.simulated for ts in targets) or any(r.simulated for rs in reports.values() for r in rs)
    return QuarterlyReport(
        plan=plan,
        year=year,
        quarter=quarter,
        cycle=cycle,
        targets=targets,
        target_counts=status_counts(ts.status for ts in targets if ts.bound),
        tasks_by_lead=dict(by_lead),
        task_counts=status_counts(line.status for lines in by_lead.values() for line in lines),
        problems=problems,
        late=late,
        simulated=simulated,
        issued_on=today,
    )


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def report_quarters(*, user: Any, region: Any = None) -> list[tuple[int, int]]:
    """The quarters with a reporting cycle the user reads (optionally of one region), newest first."""
    cycles = ReportingCycle.objects.visible_to(user)
    if region is not None:
        cycles = cycles.filter(region=region)
    return sorted(set(cycles.values_list("year", "quarter")), reverse=True)


def default_report_quarter(*, user: Any, region: Any = None, today: dt.date | None = None) -> tuple[int, int]:
    """The latest quarter with a reporting cycle (so the 通报 has reports to show); without any cycle,
    the current quarter."""
    quarters = report_quarters(user=user, region=region)
    if quarters:
        return quarters[0]
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1
