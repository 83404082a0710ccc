"""Simulated figures and reports for the demo (模拟数据): every row is flagged `simulated`.

`demo_populate()` binds each current plan's targets to indicators, writes yearly and quarterly figures
for 2020–2024 that put targets on, slightly behind and well behind their expected path (so the
dashboard shows 绿, 黄 and 红), adds a second source that disagrees for one baseline figure (a source
conflict), and files several quarters of progress reports, some late, returned or missing.
A fixed random seed makes every run the same, and a run again changes nothing: figures are keyed by
(indicator, scope, period, source) and only written when missing or different; a quarter that already
has a reporting cycle (simulated or the office's own) is left as it is; figures someone entered by
hand are never overwritten. `reset=True` deletes the simulated rows first.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bioplan.plans.models import Assignment, Plan
from bioplan.tracking import services
from bioplan.tracking.choices import Aggregation, Progress
from bioplan.tracking.models import Observation, ReportingCycle, TargetBinding
from bioplan.tracking.progress import COUNT_UNITS, LINEAR, default_path, expected_value

SEED = 20240601
FIRST_YEAR = 2020
QUARTER_SHARES = (Decimal("0.22"), Decimal("0.24"), Decimal("0.25"), Decimal("0.29"))
# How far behind its path a target ends up at its target year: on track, a little, a lot. Increments
# fall short by this share; levels grow by this share less than planned (growth shortfall).
DRIFTS = (Decimal("-0.02"), Decimal("0.09"), Decimal("0.20"))
GROWTH_SHORTFALLS = (Decimal("-0.05"), Decimal("0.35"), Decimal("0.75"))
CYCLES_PER_DISTRICT = 3


def _last_closed_quarter(today: dt.date) -> tuple[int, int]:
    """The latest quarter that has ended by `today` (2026-12-02 → 2026 Q3)."""
    q = (today.month - 1) // 3
    return (today.year, q) if q else (today.year - 1, 4)


def _demo_quarters(end_year: int | None, today: dt.date) -> list[tuple[int, int]]:
    """The reporting quarters simulated for a district: the last three closed quarters, and for a
    district whose plans have all ended, the last three quarters of their period."""
    year, quarter = _last_closed_quarter(today)
    if end_year is not None and (year, quarter) > (end_year, 4):
        year, quarter = end_year, 4
    quarters = []
    for _ in range(CYCLES_PER_DISTRICT):
        quarters.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return quarters[::-1]


def _q(v: Decimal, unit: str) -> Decimal:
    return v.quantize(Decimal(1)) if unit in COUNT_UNITS else v.quantize(Decimal("0.01"))


def _baseline(binding: TargetBinding, plan: Plan) -> tuple[Decimal, int, int]:
    """Baseline value, baseline year and target year for the simulation."""
    t = binding.target
    base_year = t.baseline_year or (plan.period_start - 1 if plan.period_start else 2020)
    target_year = t.year or plan.period_end or base_year + 3
    if t.baseline_value is not None:
        return t.baseline_value, base_year, target_year
    rate = next(
        (
            o.value
            for o in plan.targets.all()
            if o.kind == "growth_rate" and o.metric == t.metric and o.scope == t.scope and o.level == t.level
        ),
        None,
    )
    n = max(target_year - base_year, 1)
    if rate is not None and t.kind == "level":
        return t.value / (1 + rate / 100) ** n, base_year, target_year
    if t.kind == "increment":
        return Decimal(0), base_year, target_year
    return (
        t.value / Decimal("1.3") if t.unit not in COUNT_UNITS else (t.value * Decimal("0.6")),
        base_year,
        target_year,
    )


# Which target of an indicator and scope the simulated series follows when several share them: the
# level target (e.g. 产值 达到122.5亿元) before an increment of the same figure (增长15.1亿元), so the
# series has the level's scale.
KIND_ORDER = {"level": 0, "share": 1, "increment": 2, "growth_rate": 3}


@transaction.atomic
def demo_populate(
    *, plans: list[Plan] | None = None, today: dt.date | None = None, reset: bool = False
) -> dict[str, int]:
    """Simulated figures and reports for `plans` (default: every current plan); returns counts of what
    this run wrote (0 everywhere when run again on the same day)."""
    rng = random.Random(SEED)
    today = today or timezone.localdate()
    if reset:
        Observation.objects.filter(simulated=True).delete()
        ReportingCycle.objects.filter(simulated=True).delete()
    plans = (
        plans if plans is not None else list(Plan.objects.current().select_related("region").order_by("pk"))
    )
    counts = {"observations": 0, "conflicts": 0, "reports": 0, "cycles": 0}
    seen: set[tuple[int, int]] = set()
    conflict_done = False
    drift_index = 0
    for plan in plans:
        services.plan_bind_targets(plan=plan)
        bindings = sorted(
            TargetBinding.objects.filter(target__plan=plan).select_related("target", "indicator", "region"),
            key=lambda b: (KIND_ORDER.get(b.target.kind, 9), b.target.position),
        )
        for binding in bindings:
            key = (binding.indicator_id, binding.region_id)
            t = binding.target
            if key in seen or t.kind in ("growth_rate",):
                continue
            seen.add(key)
            baseline, base_year, target_year = _baseline(binding, plan)
            drift = DRIFTS[drift_index % len(DRIFTS)]
            shortfall = GROWTH_SHORTFALLS[drift_index % len(GROWTH_SHORTFALLS)]
            drift_index += 1
            unit = binding.indicator.unit
            flow = binding.indicator.aggregation == Aggregation.SUM
            if t.kind == "increment" and not flow:
                stock0 = _q(max(t.value * 3, Decimal(10)), unit)
            else:
                stock0 = Decimal(0)
            path = default_path(unit, t.kind) if t.kind != "increment" else LINEAR
            goal = t.value
            span = max(target_year - base_year, 1)
            batch: list[Observation] = []
            closed_year, closed_quarter = _last_closed_quarter(today)
            for year in range(FIRST_YEAR, closed_year + 1):
                # The running year has only its closed quarters; a yearly figure once the year is over.
                quarters = closed_quarter if year == closed_year and closed_quarter < 4 else 4
                if t.kind == "increment":
                    share = Decimal(max(min(year - base_year, span), 0)) / span
                    progress = goal * share * (1 - drift * share)
                    value = (
                        stock0 + progress
                        if not flow
                        else (goal / span) * (1 - drift)
                        if year > base_year
                        else Decimal(0)
                    )
                else:
                    exp = expected_value(
                        baseline=baseline,
                        target=goal,
                        baseline_time=base_year,
                        target_time=target_year,
                        at=year,
                        path=path,
                    )
                    if year > target_year:
                        exp = (
                            exp * (goal / baseline) ** (Decimal(year - target_year) / span)
                            if baseline > 0
                            else exp
                        )
                    value = baseline + (exp - baseline) * (1 - shortfall) if year >= base_year else exp
                noise = Decimal(str(1 + rng.uniform(-0.008, 0.008)))
                value = _q(value * noise, unit)
                if quarters == 4:
                    _record(batch, binding, year, 0, value)
                if flow:
                    for q, share_q in enumerate(QUARTER_SHARES[:quarters], start=1):
                        _record(batch, binding, year, q, _q(value * share_q, unit))
                else:
                    for q in range(1, min(quarters, 3) + 1):
                        _record(
                            batch, binding, year, q, _q(value * (Decimal("0.97") + Decimal(q) / 100), unit)
                        )
            counts["observations"] += _store(batch)
            if (
                not conflict_done
                and binding.region_id == plan.region_id
                and t.kind == "level"
                and unit not in COUNT_UNITS
            ):
                first = Observation.objects.filter(
                    indicator=binding.indicator,
                    region=binding.region,
                    year=base_year,
                    quarter=0,
                    is_latest=True,
                ).first()
                conflict_done = first is not None
                already = Observation.objects.filter(
                    indicator=binding.indicator, region=binding.region, year=base_year, source="estimate"
                ).exists()
                if first is not None and not already:
                    services.observation_record(
                        indicator=binding.indicator,
                        region=binding.region,
                        year=base_year,
                        source="estimate",
                        value=_q(first.value * Decimal("0.71"), unit),
                        simulated=True,
                        note="模拟：另一口径（如论文引用数）",
                    )
                    counts["conflicts"] += 1
    counts.update(_reports(plans, rng, today))
    return counts


def _record(
    batch: list[Observation], binding: TargetBinding, year: int, quarter: int, value: Decimal
) -> None:
    batch.append(
        Observation(
            indicator=binding.indicator,
            region=binding.region,
            year=year,
            quarter=quarter,
            value=value,
            source="stat_flash",
            simulated=True,
            note="模拟数据",
        )
    )


def _store(batch: list[Observation]) -> int:
    """Write the simulated figures of one indicator and scope: create the missing ones, correct in
    place the simulated ones whose value differs, leave alone equal ones and every figure entered by
    someone (not simulated). Returns the number of rows written."""
    if not batch:
        return 0
    first = batch[0]
    stored = {
        (o.year, o.quarter): o
        for o in Observation.objects.filter(
            indicator_id=first.indicator_id,
            region_id=first.region_id,
            month=0,
            source=first.source,
            is_latest=True,
        )
    }
    new, written = [], 0
    for o in batch:
        old = stored.get((o.year, o.quarter))
        if old is None:
            new.append(o)
        elif old.simulated and old.value != o.value:
            old.value = o.value
            old._change_reason = "模拟数据"  # type: ignore[attr-defined]
            old.save(update_fields=["value", "updated_at"])
            written += 1
    bulk_create_with_history(new, Observation, batch_size=500, default_change_reason="模拟数据")
    return written + len(new)


def _reports(plans: list[Plan], rng: random.Random, today: dt.date) -> dict[str, int]:
    counts = {"cycles": 0, "reports": 0}
    regions = {p.region_id: p.region for p in plans}
    for region in regions.values():
        assignments = list(
            Assignment.objects.filter(task__plan__in=[p for p in plans if p.region_id == region.pk])
            .select_related("task__plan", "department")
            .order_by("task__plan_id", "task__position", "position")
        )
        ends = [p.period_end for p in plans if p.region_id == region.pk]
        end_year = None if None in ends or not ends else max(e for e in ends if e is not None)
        demo_quarters = _demo_quarters(end_year, today)
        for i, (year, quarter) in enumerate(demo_quarters):
            month = quarter * 3
            deadline = dt.date(year, month, 1) + dt.timedelta(days=40)
            if ReportingCycle.objects.filter(region=region, year=year, quarter=quarter).exists():
                continue  # simulated by an earlier run, or the office's own cycle: left as it is
            cycle = services.cycle_open(
                region=region, year=year, quarter=quarter, deadline=deadline, user=None, simulated=True
            )
            counts["cycles"] += 1
            last = i == len(demo_quarters) - 1
            for a in assignments:
                roll = rng.random()
                if last and roll < 0.25:
                    continue  # missing
                progress = rng.choices(
                    [Progress.IN_PROGRESS, Progress.DONE, Progress.LATE, Progress.NOT_STARTED], [6, 2, 1, 1]
                )[0]
                percent = {Progress.DONE: 100, Progress.NOT_STARTED: 0}.get(
                    progress, rng.randint(20 + 15 * i, 60 + 15 * i)
                )
                problems = "需协调土地指标与能耗指标落实。" if rng.random() < 0.12 else ""
                report = services.report_save(
                    cycle=cycle,
                    task=a.task,
                    user=None,
                    department=a.department,
                    progress=progress,
                    percent_done=min(percent, 100),
                    done_text=f"（模拟）{a.task.title}：本季度推进相关工作。",
                    next_steps="（模拟）继续推进。",
                    problems=problems,
                    simulated=True,
                )
                late = rng.random() < 0.15
                when = dt.datetime.combine(
                    deadline + dt.timedelta(days=5 if late else -3), dt.time(10), tzinfo=dt.UTC
                )
                services.report_submit(report=report, user=None, now=when)
                counts["reports"] += 1
                if not last or rng.random() < 0.6:
                    if rng.random() < 0.08:
                        services.report_return(
                            report=report, user=None, comment="（模拟）请补充具体项目名称。"
                        )
                    else:
                        services.report_accept(report=report, user=None)
            if end_year is not None and end_year < today.year:
                # The district's plans have ended (已到期): their last cycles are history, closed,
                # with no reminders to chase.
                services.cycle_close(cycle=cycle, user=None)
            else:
                services.reminders_queue(cycle=cycle, today=max(today, deadline + dt.timedelta(days=1)))
    return counts
