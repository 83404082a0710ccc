"""Attainment, the expected path to date (序时进度), status colours and forecasts — pure functions.

Inputs are plain numbers (Decimal or int) and periods as fractional years; nothing here touches the
database, so every rule is unit-tested with hand-computed cases (tests/tracking/test_progress.py).

Conventions:
* time is a fractional year: 2024Q2 ends at ``2024.5`` and a year's figure stands at ``year + 0``
  for stocks measured at year end (e.g. 2020 → 2020.0 is "end of 2020"); callers pass
  ``period_end(year, quarter)``;
* rates are in percent (8 means 8 %), attainment and ratios are fractions (0.95 means 95 %);
* a "compound" path grows by a constant rate (output values, 产值/营收), a "linear" path by a
  constant amount (counts of enterprises, 家/个), a "custom" path takes the office's values.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bioplan.tracking.consistency import fmt

GREEN = "green"
YELLOW = "yellow"
RED = "red"
UNKNOWN = "unknown"
STATUS_LABELS = {GREEN: "绿", YELLOW: "黄", RED: "红", UNKNOWN: "无数据"}

COMPOUND = "compound"
LINEAR = "linear"
CUSTOM = "custom"

# Units counted in whole things: their paths are linear and forecasts extrapolate a straight line.
COUNT_UNITS = frozenset({"家", "个", "件", "条", "项", "批", "人", "名", "栋", "座", "所", "台", "款", "张"})

_Q = Decimal("0.0001")


def _dec(x: float | Decimal | int) -> Decimal:
    return Decimal(str(x)).quantize(_Q)


def period_end(year: int, quarter: int | None = None, month: int | None = None) -> Decimal:
    """The end of a period on the scale where a yearly figure of year Y (the value at the end of Y)
    stands at Y: quarter q of Y at (Y − 1) + q/4 (2024Q2 → 2023.5, 2024Q4 → 2024), month m at
    (Y − 1) + m/12."""
    if month:
        return Decimal(year - 1) + Decimal(month) / 12
    if quarter:
        return Decimal(year - 1) + Decimal(quarter) / 4
    return Decimal(year)


def default_path(unit: str, kind: str = "level") -> str:
    """Compound for values and growth targets, linear for counts and increments."""
    if kind == "increment" or unit in COUNT_UNITS:
        return LINEAR
    return COMPOUND


# ---------------------------------------------------------------------------------- attainment
def attainment(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """actual / target as a fraction (None when either is missing or the target is 0)."""
    if actual is None or target is None or target == 0:
        return None
    return _dec(Decimal(actual) / Decimal(target))


def expected_value(
    *,
    baseline: Decimal,
    target: Decimal,
    baseline_time: Decimal | int,
    target_time: Decimal | int,
    at: Decimal | int,
    path: str = COMPOUND,
    custom: Mapping[Decimal, Decimal] | None = None,
) -> Decimal:
    """The value the plan should have reached at time `at` (序时进度).

    compound: baseline × (target/baseline)^(elapsed/span); linear: baseline + (target − baseline) ×
    elapsed/span; custom: the office's value for the latest period at or before `at` (interpolated
    linearly between set points). Before the baseline the baseline is expected; after the target
    year, the target.
    """
    span = Decimal(target_time) - Decimal(baseline_time)
    elapsed = Decimal(at) - Decimal(baseline_time)
    if span <= 0:
        return _dec(target)
    share = min(max(elapsed / span, Decimal(0)), Decimal(1))
    if path == CUSTOM and custom:
        points = sorted((Decimal(k), Decimal(v)) for k, v in custom.items())
        points = [(Decimal(baseline_time), Decimal(baseline)), *points]
        if Decimal(target_time) not in {p[0] for p in points}:
            points.append((Decimal(target_time), Decimal(target)))
        points.sort()
        return _dec(_interpolate(points, Decimal(at)))
    if path == COMPOUND and baseline > 0 and target > 0:
        ratio = float(Decimal(target) / Decimal(baseline))
        return _dec(float(baseline) * ratio ** float(share))
    return _dec(Decimal(baseline) + (Decimal(target) - Decimal(baseline)) * share)


def _interpolate(points: Sequence[tuple[Decimal, Decimal]], at: Decimal) -> Decimal:
    if at <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if t0 <= at <= t1:
            return v0 if t1 == t0 else v0 + (v1 - v0) * (at - t0) / (t1 - t0)
    return points[-1][1]


def year_to_date_expected(
    annual_expected: Decimal, quarter: int | None = None, month: int | None = None
) -> Decimal:
    """For flows summed over the year (产值 reported 1–N月累计): the share of the year's value due by
    the end of the quarter or month, time-proportional (Q2 → half)."""
    if month:
        return _dec(annual_expected * Decimal(month) / 12)
    if quarter:
        return _dec(annual_expected * Decimal(quarter) / 4)
    return _dec(annual_expected)


# ---------------------------------------------------------------------------------- status
@dataclass(frozen=True)
class Thresholds:
    """Status colours from actual / expected: ≥ green → 绿, ≥ yellow → 黄, else 红 (fractions)."""

    green: Decimal = Decimal("0.95")
    yellow: Decimal = Decimal("0.85")

    def __post_init__(self) -> None:
        if not Decimal(0) < self.yellow <= self.green:
            raise ValueError("thresholds must satisfy 0 < yellow ≤ green")


def status_for(
    actual: Decimal | None,
    expected: Decimal | None,
    thresholds: Thresholds | None = None,
    *,
    lower_is_better: bool = False,
) -> str:
    """绿/黄/红 from actual against expected; `unknown` without an actual figure."""
    t = thresholds or Thresholds()
    if actual is None or expected is None:
        return UNKNOWN
    if expected <= 0:
        return GREEN if actual >= expected else RED
    ratio = Decimal(actual) / Decimal(expected)
    if lower_is_better:
        ratio = Decimal(expected) / Decimal(actual) if actual > 0 else Decimal(1)
    if ratio >= t.green:
        return GREEN
    if ratio >= t.yellow:
        return YELLOW
    return RED


# ---------------------------------------------------------------------------------- tasks
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
LATE = "late"


@dataclass(frozen=True)
class TaskReportFacts:
    """What the latest accepted (or submitted) report of a department says about a task."""

    progress: str  # not_started | in_progress | done | late
    percent_done: int


# An open task node (任务节点) past its due date makes the task 黄, and 红 once it is more than this
# many days overdue (docs/tracking.md §12).
NODE_GRACE_DAYS = 30


def task_status(
    reports: Sequence[TaskReportFacts],
    *,
    due: dt.date | None,
    today: dt.date,
    started: dt.date | None = None,
    open_node_due: dt.date | None = None,
) -> str:
    """A task's colour from its departments' latest reports, its due date and its earliest open node.

    绿: every reporting department says done (whatever its nodes or dates: a task reported 已完成 is
    never 红), or work is on schedule (percent done ≥ the share of time elapsed minus 10 points);
    黄: behind schedule by 10–25 points, no report yet while time remains, or an open node overdue by up
    to NODE_GRACE_DAYS; 红: any department reports 滞后, past due and not done, more than 25 points
    behind, or an open node overdue by more than NODE_GRACE_DAYS.
    """
    if reports and all(r.progress == DONE or r.percent_done >= 100 for r in reports):
        return GREEN
    colour = _task_status_from_reports(reports, due=due, today=today, started=started)
    if open_node_due is not None and today > open_node_due:
        late = RED if (today - open_node_due).days > NODE_GRACE_DAYS else YELLOW
        order = {GREEN: 0, UNKNOWN: 0, YELLOW: 1, RED: 2}
        colour = max(colour, late, key=lambda c: order[c])
    return colour


def _task_status_from_reports(
    reports: Sequence[TaskReportFacts], *, due: dt.date | None, today: dt.date, started: dt.date | None
) -> str:
    if not reports:
        if due is not None and today > due:
            return RED
        return UNKNOWN
    if all(r.progress == DONE or r.percent_done >= 100 for r in reports):
        return GREEN
    if any(r.progress == LATE for r in reports):
        return RED
    if due is not None and today > due:
        return RED
    done = min(r.percent_done for r in reports)
    if due is None or started is None or due <= started:
        return GREEN if all(r.progress != NOT_STARTED for r in reports) else YELLOW
    elapsed = (today - started).days / (due - started).days
    behind = max(0.0, min(1.0, elapsed)) * 100 - done
    if behind <= 10:
        return GREEN
    if behind <= 25:
        return YELLOW
    return RED


# ---------------------------------------------------------------------------------- forecast
@dataclass(frozen=True)
class Forecast:
    """Where a target is heading: the trend, its projection at the target year, the rate still needed."""

    model: str  # compound | linear
    trend: Decimal | None  # % a year (compound) or units a year (linear)
    projected: Decimal | None  # value at the target year
    required: Decimal | None  # % a year (compound) or units a year (linear) needed from the last figure
    meets_target: bool | None
    sentence: str


def trend_rate(points: Sequence[tuple[Decimal | int, Decimal]]) -> Decimal | None:
    """Average annual growth in percent between the first and the last point (CAGR)."""
    pts = [(Decimal(t), Decimal(v)) for t, v in sorted(points)]
    if len(pts) < 2:
        return None
    (t0, v0), (t1, v1) = pts[0], pts[-1]
    if v0 <= 0 or v1 <= 0 or t1 <= t0:
        return None
    return _dec(((float(v1) / float(v0)) ** (1 / float(t1 - t0)) - 1) * 100)


def trend_slope(points: Sequence[tuple[Decimal | int, Decimal]]) -> Decimal | None:
    """Least-squares slope in units a year."""
    pts = [(float(t), float(v)) for t, v in sorted(points)]
    if len(pts) < 2:
        return None
    n = len(pts)
    mt = sum(t for t, _ in pts) / n
    mv = sum(v for _, v in pts) / n
    den = sum((t - mt) ** 2 for t, _ in pts)
    if den == 0:
        return None
    return _dec(sum((t - mt) * (v - mv) for t, v in pts) / den)


def required_rate(current: Decimal, target: Decimal, years: Decimal | int) -> Decimal | None:
    """The annual growth in percent that takes `current` to `target` in `years` years."""
    if current <= 0 or target <= 0 or Decimal(years) <= 0:
        return None
    return _dec(((float(target) / float(current)) ** (1 / float(years)) - 1) * 100)


def forecast(
    *,
    points: Sequence[tuple[Decimal | int, Decimal]],
    target_value: Decimal,
    target_year: int,
    unit: str,
    model: str = COMPOUND,
    level_label: str = "",
    new_capacity: Decimal = Decimal(0),
) -> Forecast:
    """Project the observed trend to the target year and say in one sentence whether it meets the target.

    compound: CAGR between the first and last yearly figures, applied from the last one; linear:
    least-squares slope, applied from the last figure. `points` are (year, value) pairs.
    `new_capacity` is output known to come on stream after the last figure (key projects reaching
    达产 by the target year, in `unit`); it is added to the projection and named in the sentence.
    """
    pts = sorted((Decimal(t), Decimal(v)) for t, v in points)
    target_label = f"{level_label}目标" if level_label else "目标"
    if not pts:
        return Forecast(model, None, None, None, None, "尚无实际数据，无法预测。")
    last_t, last_v = pts[-1]
    years_left = Decimal(target_year) - last_t
    if model == LINEAR:
        slope = trend_slope(pts)
        projected = None if slope is None else _dec(last_v + slope * max(years_left, Decimal(0)))
        need = None if years_left <= 0 else _dec((target_value - last_v) / years_left)
        trend_text = "按当前年均增量" + (f"{fmt(slope, 1)}{unit}" if slope is not None else "（数据不足）")
        need_text = f"需年均增加{fmt(need, 1)}{unit}" if need is not None and need > 0 else ""
        trend: Decimal | None = slope
    else:
        rate = trend_rate(pts)
        projected = (
            None
            if rate is None
            else _dec(float(last_v) * (1 + float(rate) / 100) ** float(max(years_left, Decimal(0))))
        )
        need = required_rate(last_v, target_value, years_left) if years_left > 0 else None
        trend_text = "按当前年均增速" + (f"{fmt(rate, 1)}%" if rate is not None else "（数据不足）")
        need_text = f"需年均增长{fmt(need, 1)}%" if need is not None and need > 0 else ""
        trend = rate
    if projected is None:
        return Forecast(model, trend, None, need, None, f"{trend_text}，暂无法预测{target_year}年数值。")
    if new_capacity:
        projected = _dec(projected + new_capacity)
        trend_text += f"，计入新达产项目产值{fmt(new_capacity, 1)}{unit}"
    meets = projected >= target_value
    verb = "达到" if meets else "低于"
    sentence = (
        f"{trend_text}，{target_year}年预计{fmt(projected, 1)}{unit}，"
        f"{verb}{target_label}{fmt(target_value)}{unit}"
    )
    if not meets and need_text:
        sentence += f"；{need_text}"
    return Forecast(model, trend, projected, need, meets, sentence + "。")


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1
