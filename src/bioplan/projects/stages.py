"""Project landing stages as pure functions: which transition is allowed, and the warnings a
project's planned and actual dates give on a day (no Django, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bioplan.projects.choices import STAGE_ORDER, WarningLevel

DUE_SOON_DAYS = 30
SEVERE_DAYS = 90
STAGE_LABELS = {
    "signed": "签约",
    "land": "土地出让",
    "started": "开工",
    "completed": "竣工",
    "producing": "投产",
    "full_output": "达产",
}
# Worst first: the level a list shows for a project.
SEVERITY = [
    WarningLevel.SEVERE,
    WarningLevel.OVERDUE,
    WarningLevel.NO_PLAN,
    WarningLevel.DUE_SOON,
    WarningLevel.NONE,
]


@dataclass(frozen=True)
class StageDates:
    stage: str
    planned_on: dt.date | None = None
    actual_on: dt.date | None = None


@dataclass(frozen=True)
class StageWarning:
    stage: str
    level: str
    days: int  # days late (overdue), days left (due soon), 0 otherwise
    text: str


def next_stage(current: str) -> str | None:
    """The stage after `current` ("" = not signed yet); None once 达产 is reached."""
    if not current:
        return STAGE_ORDER[0]
    index = STAGE_ORDER.index(current)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def transition_problems(
    *, current: str, stage: str, actual_on: dt.date, previous_actual_on: dt.date | None, today: dt.date
) -> list[str]:
    """Why a project at `current` cannot reach `stage` on `actual_on` (empty when it can)."""
    problems = []
    expected = next_stage(current)
    if expected is None:
        problems.append("项目已达产，没有后续阶段")
    elif stage != expected:
        problems.append(
            f"下一阶段应为“{STAGE_LABELS[expected]}”，不能直接进入“{STAGE_LABELS.get(stage, stage)}”"
        )
    if actual_on > today:
        problems.append("实际日期不能晚于今天")
    if previous_actual_on is not None and actual_on < previous_actual_on:
        problems.append(f"实际日期早于上一阶段（{previous_actual_on:%Y-%m-%d}）")
    return problems


def plan_problems(stages: list[StageDates]) -> list[str]:
    """Planned dates must follow the stage order (a later stage never planned before an earlier one)."""
    problems = []
    last: tuple[str, dt.date] | None = None
    for s in sorted(stages, key=lambda s: STAGE_ORDER.index(s.stage)):
        if s.planned_on is None:
            continue
        if last is not None and s.planned_on < last[1]:
            problems.append(f"“{STAGE_LABELS[s.stage]}”计划日期早于“{STAGE_LABELS[last[0]]}”")
        last = (s.stage, s.planned_on)
    return problems


def current_stage(stages: list[StageDates]) -> str:
    """The last stage with an actual date ("" when none)."""
    reached = [s.stage for s in stages if s.actual_on is not None]
    return max(reached, key=STAGE_ORDER.index) if reached else ""


def stage_warnings(stages: list[StageDates], today: dt.date) -> list[StageWarning]:
    """The warnings of a project on `today`: its next stage overdue (逾期, 严重逾期 after 90 days),
    due within 30 days (即将到期) or not planned (未排期); and stages completed after their plan."""
    by_stage = {s.stage: s for s in stages}
    warnings = []
    for s in stages:
        if s.actual_on and s.planned_on and s.actual_on > s.planned_on:
            days = (s.actual_on - s.planned_on).days
            warnings.append(
                StageWarning(s.stage, "late_done", days, f"{STAGE_LABELS[s.stage]}延期 {days} 天完成")
            )
    upcoming = next_stage(current_stage(stages))
    if upcoming is None:
        return warnings
    planned = by_stage.get(upcoming, StageDates(upcoming)).planned_on
    label = STAGE_LABELS[upcoming]
    if planned is None:
        warnings.append(StageWarning(upcoming, WarningLevel.NO_PLAN, 0, f"{label}未排计划日期"))
    elif planned < today:
        days = (today - planned).days
        level = WarningLevel.SEVERE if days > SEVERE_DAYS else WarningLevel.OVERDUE
        warnings.append(
            StageWarning(upcoming, level, days, f"{label}已逾期 {days} 天（计划 {planned:%Y-%m-%d}）")
        )
    elif (planned - today).days <= DUE_SOON_DAYS:
        days = (planned - today).days
        warnings.append(StageWarning(upcoming, WarningLevel.DUE_SOON, days, f"{label}将于 {days} 天后到期"))
    return warnings


def warning_level(stages: list[StageDates], today: dt.date) -> str:
    """The worst warning level of a project (WarningLevel.NONE when none)."""
    levels = {w.level for w in stage_warnings(stages, today)}
    return next((lvl for lvl in SEVERITY if lvl in levels), WarningLevel.NONE)
