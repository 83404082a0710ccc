"""The final evaluation (终期评估) of a plan past its end year (已到期; docs/tracking.md §11).

Each target is judged met or not met on the figure of its own year (the plan's final year when it
states none) — never on a later year's — with the gap to the target; each task shows its final
state from the departments' last submitted or accepted reports. Read by the plan page, the dashboard
and the .docx 终期评估报告 (bioplan.reports.final_docx).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from bioplan.plans.choices import Comparator
from bioplan.plans.models import Plan, Target, Task
from bioplan.tracking.choices import Progress, ReportState
from bioplan.tracking.models import ProgressReport
from bioplan.tracking.selectors import target_statuses


@dataclass(frozen=True)
class FinalTarget:
    target: Target
    year: int
    actual: Decimal | None  # None: no figure for that year (not bound, or nothing recorded)
    met: bool | None  # None: cannot be judged without a figure
    gap: Decimal | None  # how far the actual falls short of the target (0 when met)
    simulated: bool


@dataclass(frozen=True)
class FinalTask:
    task: Task
    progress: str  # a Progress value, or "" when no department ever reported
    percent_done: int | None
    reported: str  # the last quarter reported, e.g. 2023Q4

    @property
    def progress_label(self) -> str:
        return str(Progress(self.progress).label) if self.progress else "未报送"


@dataclass(frozen=True)
class FinalEvaluation:
    plan: Plan
    targets: list[FinalTarget]
    tasks: list[FinalTask]

    @property
    def met(self) -> int:
        return sum(1 for t in self.targets if t.met)

    @property
    def not_met(self) -> int:
        return sum(1 for t in self.targets if t.met is False)

    @property
    def unjudged(self) -> int:
        return sum(1 for t in self.targets if t.met is None)

    @property
    def tasks_done(self) -> int:
        return sum(1 for t in self.tasks if t.progress == Progress.DONE)


def target_met(target: Target, actual: Decimal) -> tuple[bool, Decimal]:
    """Whether `actual` meets the target by its comparator, and the shortfall (0 when met).
    "超过/不低于/约/区间" are met from the lower value up; "低于/不超过" from the value down."""
    if target.comparator in (Comparator.LT, Comparator.LE):
        met = actual < target.value if target.comparator == Comparator.LT else actual <= target.value
        return met, max(actual - target.value, Decimal(0))
    met = actual > target.value if target.comparator == Comparator.GT else actual >= target.value
    return met, max(target.value - actual, Decimal(0))


def final_evaluation(*, plan: Plan) -> FinalEvaluation:
    """The 终期评估 of `plan`: its targets judged on their own year's figure (as of the end of the plan's
    final year; uses tracking.selectors.target_statuses) and its tasks' final states."""
    end = plan.period_end or 0
    years = sorted({t.year or end for t in plan.targets.all()})
    judged: dict[int, FinalTarget] = {}
    for year in years:  # one evaluation per target year, as of the end of that year
        for ts in target_statuses(plans=[plan], as_of=(year, 0)):
            if (ts.target.year or end) != year:
                continue
            ev = ts.evaluation
            in_year = ev.as_of is not None and ev.as_of[0] == year
            if not ts.bound or ev.actual is None or not in_year:
                judged[ts.target.pk] = FinalTarget(ts.target, year, None, None, None, ts.simulated)
                continue
            met, gap = target_met(ts.target, ev.actual)
            judged[ts.target.pk] = FinalTarget(ts.target, year, ev.actual, met, gap, ts.simulated)
    targets = sorted(judged.values(), key=lambda f: f.target.position)
    return FinalEvaluation(plan=plan, targets=targets, tasks=_final_tasks(plan))


def _final_tasks(plan: Plan) -> list[FinalTask]:
    """Each task's state from the last submitted/accepted report of each department: 已完成 when all
    say done; else 滞后 if any says so; else the least advanced department's state and percent."""
    latest: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    for report in (
        ProgressReport.objects.filter(
            task__plan=plan, state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]
        )
        .select_related("cycle")
        .order_by("cycle__year", "cycle__quarter")
    ):
        latest[report.task_id][report.department_id] = report
    rows = []
    for task in plan.tasks.order_by("position"):
        reports = list(latest.get(task.pk, {}).values())
        if not reports:
            rows.append(FinalTask(task, "", None, ""))
            continue
        last = max(f"{r.cycle.year}Q{r.cycle.quarter}" for r in reports)
        if all(r.progress == Progress.DONE or r.percent_done >= 100 for r in reports):
            rows.append(FinalTask(task, Progress.DONE, 100, last))
            continue
        weakest = min(reports, key=lambda r: (r.progress != Progress.LATE, r.percent_done))
        rows.append(FinalTask(task, weakest.progress, weakest.percent_done, last))
    return rows
