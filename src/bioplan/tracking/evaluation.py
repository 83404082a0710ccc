"""A target's actual, expected (序时进度), status and forecast from its figures — pure functions.

`evaluate_target` takes a target's plain values (`TargetInput`) and the effective figures of its
indicator and scope keyed by (year, quarter) — quarter 0 for a yearly figure — and returns an
`Evaluation`. The selectors load the figures; everything computed here is tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bioplan.tracking.progress import (
    COMPOUND,
    COUNT_UNITS,
    CUSTOM,
    LINEAR,
    UNKNOWN,
    Forecast,
    Thresholds,
    attainment,
    default_path,
    expected_value,
    forecast,
    period_end,
    status_for,
    trend_rate,
    year_to_date_expected,
)

Period = tuple[int, int]  # (year, quarter); quarter 0 = the whole year

LEVEL_LABELS = {"floor": "确保", "stretch": "力争"}


@dataclass(frozen=True)
class TargetInput:
    kind: str  # level | increment | growth_rate | share
    value: Decimal
    unit: str
    year: int
    aggregation: str = "sum"  # of the indicator: sum | average | last | count
    indicator_unit: str = ""
    level: str = ""
    path: str = ""  # "" (auto) | compound | linear | custom
    custom: Mapping[str, Decimal] = field(default_factory=dict)
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    # Output coming on stream per year from sources outside the figures (key projects reaching 达产).
    capacity_by_year: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    as_of: Period | None
    actual: Decimal | None
    expected: Decimal | None
    attainment: Decimal | None
    status: str
    forecast: Forecast | None
    baseline: Decimal | None
    baseline_year: int | None
    actual_series: list[tuple[int, Decimal]]
    expected_series: list[tuple[int, Decimal]]
    note: str = ""

    @property
    def as_of_label(self) -> str:
        if self.as_of is None:
            return ""
        y, q = self.as_of
        return f"{y}Q{q}" if q else f"{y}年"


_PERIOD_LABEL = re.compile(r"(?P<year>[0-9]{4})(?:\s*Q(?P<quarter>[1-4]))?")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_period(label: str) -> Period:
    """'2024' → (2024, 0); '2024Q2' → (2024, 2). ValueError for anything else: other forms, a
    quarter outside 1–4, a year outside 2000–2100 (a period such as 0Q1 would break date arithmetic)."""
    m = _PERIOD_LABEL.fullmatch(label.strip().upper())
    if m is None or not FIRST_YEAR <= int(m["year"]) <= LAST_YEAR:
        raise ValueError(f"not a period such as 2024 or 2024Q2: {label[:20]!r}")
    return int(m["year"]), int(m["quarter"] or 0)


def judged_as_of(target_year: int, as_of: Period | None) -> Period:
    """The period a target of `target_year` is judged at when asked about `as_of`: `as_of` itself up
    to the end of the target year, the target year (its yearly figure, else its latest quarter) after
    it or when no period is asked."""
    if as_of is None or (as_of[0], as_of[1] or 4) >= (target_year, 4):
        return (target_year, 0)
    return as_of


def annual_values(values: Mapping[Period, Decimal], aggregation: str) -> dict[int, Decimal]:
    """Full-year figures: a yearly figure where given, else the four quarters combined."""
    out: dict[int, Decimal] = {}
    years = {y for y, _ in values}
    for y in sorted(years):
        if (y, 0) in values:
            out[y] = values[(y, 0)]
            continue
        quarters = [values[(y, q)] for q in (1, 2, 3, 4) if (y, q) in values]
        if len(quarters) < 4:
            continue
        if aggregation == "sum":
            out[y] = sum(quarters, Decimal(0))
        elif aggregation == "average":
            out[y] = sum(quarters, Decimal(0)) / 4
        else:
            out[y] = quarters[-1]
    return out


def quarters_from_months(
    values: Mapping[tuple[int, int], Decimal], aggregation: str
) -> dict[Period, Decimal]:
    """Quarter figures from monthly figures keyed by (year, month): only complete quarters (all three
    months), combined as the indicator combines periods (sum, average, else the last month).

    A monthly figure is the month's own value (当月值), not a year-to-date total (累计值)."""
    out: dict[Period, Decimal] = {}
    for y in sorted({y for y, _ in values}):
        for q in (1, 2, 3, 4):
            months = [values.get((y, m)) for m in range(3 * q - 2, 3 * q + 1)]
            if any(v is None for v in months):
                continue
            present = [v for v in months if v is not None]
            if aggregation == "sum":
                out[(y, q)] = sum(present, Decimal(0))
            elif aggregation == "average":
                out[(y, q)] = sum(present, Decimal(0)) / 3
            else:
                out[(y, q)] = present[-1]
    return out


def latest_period(values: Mapping[Period, Decimal], as_of: Period | None = None) -> Period | None:
    """The latest period with a figure, not after `as_of` (a yearly figure counts as Q4)."""

    def order(p: Period) -> tuple[int, int]:
        return (p[0], p[1] or 4)

    candidates = [p for p in values if as_of is None or order(p) <= order(as_of)]
    return max(candidates, key=lambda p: (order(p), p[1] == 0)) if candidates else None


def value_at(
    values: Mapping[Period, Decimal], period: Period, aggregation: str
) -> tuple[Decimal | None, int]:
    """The figure that stands for `period` and how many quarters of the year it covers (4 = full year).

    Flows (sum) add the year's quarters up to the period (1–N季度累计); averages average them;
    stocks (last, count) take the period's own figure."""
    y, q = period
    if q == 0 or ((y, 0) in values and q == 4):
        if (y, 0) in values:
            return values[(y, 0)], 4
        q = 4
    quarters = [values[(y, i)] for i in range(1, q + 1) if (y, i) in values]
    if not quarters:
        return None, 0
    if aggregation == "sum":
        return sum(quarters, Decimal(0)), q
    if aggregation == "average":
        return sum(quarters, Decimal(0)) / len(quarters), q
    return values.get((y, q), quarters[-1]), q


def _custom_points(custom: Mapping[str, Decimal]) -> dict[Decimal, Decimal]:
    points: dict[Decimal, Decimal] = {}
    for label, v in custom.items():
        y, q = parse_period(str(label))
        points[period_end(y, q or None)] = Decimal(str(v))
    return points


def evaluate_target(
    target: TargetInput,
    values: Mapping[Period, Decimal],
    *,
    as_of: Period | None = None,
    thresholds: Thresholds | None = None,
) -> Evaluation:
    """Actual, expected to date, attainment, status and forecast of one target.

    level/share: actual is the figure of the as-of period (flows summed year to date, compared with
    the time-proportional share of that year's expected value); increment: the change since the
    baseline (flows: the sum since the baseline year); growth_rate: the average annual growth since
    the baseline. Without a baseline the expected path is unknown and the status is `unknown`.
    """
    aggregation = target.aggregation or "sum"
    flow = aggregation == "sum" and target.kind != "share"
    annual = annual_values(values, aggregation)
    # A target for year Y is judged on Y's figure (or the latest inside Y while Y runs), never on a
    # later year's: a 2023 target in the 2024Q2 通报 still reads its 2023 figure.
    period = latest_period(values, judged_as_of(target.year, as_of))
    base_year = target.baseline_year
    baseline = target.baseline_value
    if baseline is None and base_year is not None and base_year in annual:
        baseline = annual[base_year]
    label = LEVEL_LABELS.get(target.level, "")
    unit = target.indicator_unit or target.unit
    path = target.path or default_path(unit, target.kind)
    custom = _custom_points(target.custom) if path == CUSTOM else None
    last_year = period[0] if period is not None else target.year
    full_years = sorted(
        (y, v) for y, v in annual.items() if (base_year is None or y >= base_year) and y <= last_year
    )
    if baseline is not None and base_year is not None and base_year not in annual:
        full_years = sorted([(base_year, baseline), *full_years])

    def expected_at(t: Decimal, start: Decimal, goal: Decimal, p: str = path) -> Decimal | None:
        if base_year is None:
            return None
        return expected_value(
            baseline=start,
            target=goal,
            baseline_time=base_year,
            target_time=target.year,
            at=t,
            path=p,
            custom=custom,
        )

    actual: Decimal | None = None
    expected: Decimal | None = None
    fc: Forecast | None = None
    expected_series: list[tuple[int, Decimal]] = []
    actual_series = [(y, v) for y, v in full_years]
    note = ""

    if period is None:
        return Evaluation(None, None, None, None, UNKNOWN, None, baseline, base_year, [], [], "尚无实际数据")
    y, q = period

    if target.kind in ("level", "share"):
        actual, covered = value_at(values, period, aggregation)
        if baseline is not None and base_year is not None:
            if flow and covered < 4:
                annual_expected = expected_at(Decimal(y), baseline, target.value)
                expected = (
                    year_to_date_expected(annual_expected, quarter=covered) if annual_expected else None
                )
                note = f"{y}年1—{covered}季度累计"
            else:
                expected = expected_at(period_end(y, q or None), baseline, target.value)
            expected_series = [
                (yy, e)
                for yy in range(base_year, target.year + 1)
                if (e := expected_at(Decimal(yy), baseline, target.value)) is not None
            ]
        points = [(yy, v) for yy, v in full_years]
        model = LINEAR if path == LINEAR or unit in COUNT_UNITS or target.kind == "share" else COMPOUND
        if points:
            last_seen = points[-1][0]
            fc = forecast(
                points=points,
                target_value=target.value,
                target_year=target.year,
                unit=target.unit,
                model=model,
                level_label=label,
                new_capacity=sum(
                    (v for yr, v in target.capacity_by_year.items() if last_seen < yr <= target.year),
                    Decimal(0),
                ),
            )
        achieved = (
            attainment(actual, target.value)
            if not (flow and covered < 4)
            else attainment(
                actual, expected_at(Decimal(y), baseline, target.value) if baseline is not None else None
            )
        )
    elif target.kind == "increment":
        if base_year is None:
            return Evaluation(
                period,
                None,
                None,
                None,
                UNKNOWN,
                None,
                baseline,
                base_year,
                actual_series,
                [],
                "缺少基期，无法计算新增量",
            )
        if flow:
            cumulative: list[tuple[int, Decimal]] = []
            running = Decimal(0)
            for yy, v in sorted(annual.items()):
                if base_year < yy <= last_year:
                    running += v
                    cumulative.append((yy, running))
            partial, covered = value_at(values, period, aggregation) if (y not in annual) else (None, 4)
            actual = (
                running + (partial or Decimal(0))
                if y not in annual
                else next((c for yy, c in cumulative if yy == y), running)
            )
            actual_series = cumulative
        else:
            now, _ = value_at(values, period, aggregation)
            actual = None if now is None or baseline is None else now - baseline
            actual_series = [
                (yy, v - baseline) for yy, v in full_years if baseline is not None and yy > base_year
            ]
        expected = expected_at(
            period_end(y, q or None), Decimal(0), target.value, LINEAR if path != CUSTOM else path
        )
        expected_series = [
            (yy, e)
            for yy in range(base_year, target.year + 1)
            if (e := expected_at(Decimal(yy), Decimal(0), target.value, LINEAR)) is not None
        ]
        points = [(base_year, Decimal(0)), *actual_series]
        fc = forecast(
            points=points,
            target_value=target.value,
            target_year=target.year,
            unit=target.unit,
            model=LINEAR,
            level_label=label,
        )
        achieved = attainment(actual, target.value)
    else:  # growth_rate: the average annual growth since the baseline, against the rate
        last = [(yy, v) for yy, v in full_years if base_year is None or yy > base_year]
        if baseline is None or base_year is None or not last:
            return Evaluation(
                period,
                None,
                target.value,
                None,
                UNKNOWN,
                None,
                baseline,
                base_year,
                [],  # levels are never charted against a rate
                [],
                "缺少基期数据，无法计算增速",
            )
        actual = trend_rate([(base_year, baseline), last[-1]])
        expected = target.value
        achieved = attainment(actual, target.value)
        note = f"{base_year}—{last[-1][0]}年年均增速"
        # The series are rates too: the average annual growth from the baseline to each year (%),
        # against the target rate — never the output level on a % axis.
        actual_series = [
            (yy, r) for yy, v in last if (r := trend_rate([(base_year, baseline), (yy, v)])) is not None
        ]
        expected_series = [(yy, target.value) for yy in range(base_year + 1, target.year + 1)]

    status = status_for(actual, expected, thresholds)
    return Evaluation(
        period,
        actual,
        expected,
        achieved,
        status,
        fc,
        baseline,
        base_year,
        actual_series,
        expected_series,
        note,
    )
