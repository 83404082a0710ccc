"""Every non-trivial read of tracking: plan facts for the checks, effective figures and conflicts,
target statuses, the liaison's task list, the 催办 list and the dashboard."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from bioplan.core import access
from bioplan.core.choices import Role
from bioplan.core.models import Department, Region, User
from bioplan.plans.choices import AssignmentRole
from bioplan.plans.models import Assignment, Plan, Target, Task, TaskNode
from bioplan.tracking.choices import ReminderKind, ReportState, Source
from bioplan.tracking.consistency import PlanFacts, TargetFacts, facts_from_targets
from bioplan.tracking.evaluation import (
    Evaluation,
    Period,
    TargetInput,
    evaluate_target,
    judged_as_of,
    quarters_from_months,
)
from bioplan.tracking.models import (
    ConsistencyFinding,
    Indicator,
    Observation,
    ProgressReport,
    Reminder,
    ReportingCycle,
    TargetBinding,
)
from bioplan.tracking.progress import (
    GREEN,
    RED,
    STATUS_LABELS,
    UNKNOWN,
    YELLOW,
    TaskReportFacts,
    Thresholds,
    task_status,
)

SOURCE_PRIORITY = {s.value: i for i, s in enumerate(Source)}
CONFLICT_TOLERANCE = Decimal("0.005")  # sources within 0.5 % of each other do not conflict


def thresholds() -> Thresholds:
    """Status thresholds from settings BIOPLAN_STATUS_GREEN / _YELLOW (fractions; default 0.95 / 0.85)."""
    return Thresholds(
        green=Decimal(str(getattr(settings, "BIOPLAN_STATUS_GREEN", "0.95"))),
        yellow=Decimal(str(getattr(settings, "BIOPLAN_STATUS_YELLOW", "0.85"))),
    )


# ------------------------------------------------------------------------------ plan facts
def plan_facts(*, plan: Plan) -> PlanFacts:
    """A stored plan as the plain values the consistency checks read."""
    return facts_from_targets(
        region=plan.region.name,
        period_start=plan.period_start,
        period_end=plan.period_end,
        targets=(
            TargetFacts(
                code=t.code,
                metric=t.metric,
                kind=t.kind,
                value=t.value,
                unit=t.unit,
                year=t.year if t.year is not None else plan.period_end,
                level=t.level,
                scope=t.scope,
                comparator=t.comparator,
                value_max=t.value_max,
                baseline_value=t.baseline_value,
                baseline_year=t.baseline_year,
                quote=t.quote,
            )
            for t in plan.targets.order_by("position")
        ),
    )


def plan_findings_stored(*, plan: Plan) -> list[ConsistencyFinding]:
    return list(ConsistencyFinding.objects.filter(plan=plan).order_by("position"))


# ------------------------------------------------------------------------------ indicators
def indicator_catalogue(*, user: User) -> QuerySet[Indicator]:
    """Every indicator (the catalogue is shared by all districts) with how many targets in the user's
    reach are bound to it and how many current figures it has there."""
    no_figures = access.is_researcher(user)  # researchers read published plans only
    in_reach = access.NOTHING if no_figures else access.user_region_q(user, "bindings__region")
    figures_in_reach = access.NOTHING if no_figures else access.user_region_q(user, "observations__region")
    return Indicator.objects.annotate(
        targets=Count("bindings", filter=in_reach, distinct=True),
        figures=Count(
            "observations", filter=figures_in_reach & Q(observations__is_latest=True), distinct=True
        ),
    ).order_by("name", "unit")


# ------------------------------------------------------------------------------ figures
@dataclass
class FigureSet:
    """The latest figures of one indicator and scope per period, with the one that counts."""

    effective: dict[Period, Decimal] = field(default_factory=dict)
    simulated: bool = False
    sources: dict[Period, str] = field(default_factory=dict)  # the source of each effective figure


@dataclass
class Conflict:
    """Two or more sources disagree on the same indicator, scope and period."""

    indicator: str
    unit: str
    region: str
    period: str
    observations: list[Observation]
    chosen: Observation | None

    @property
    def spread(self) -> Decimal:
        values = [o.value for o in self.observations]
        return max(values) - min(values)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(Decimal("0.0001"))


def figures_for(
    keys: Iterable[tuple[int, int]], *, as_of: Period | None = None
) -> dict[tuple[int, int], FigureSet]:
    """Effective figures for each (indicator id, region id), in one query.

    Only the figures an evaluation can use are read: quarterly and monthly figures of a year that has
    a yearly figure are skipped (the yearly one stands for the year), except in the year of an
    `as_of` quarter, which is judged on its quarters. Complete quarters of monthly figures stand for a
    quarter that has no figure of its own (`evaluation.quarters_from_months`)."""
    keys = set(keys)
    if not keys:
        return {}
    indicator_ids = {k[0] for k in keys}
    region_ids = {k[1] for k in keys}
    has_yearly = Exists(
        Observation.objects.filter(
            indicator_id=OuterRef("indicator_id"),
            region_id=OuterRef("region_id"),
            year=OuterRef("year"),
            quarter=0,
            month=0,
            is_latest=True,
        )
    )
    needed: Q = Q(quarter=0, month=0) | ~Q(has_yearly)
    if as_of is not None and as_of[1]:
        needed |= Q(year=as_of[0])
    qs = (
        Observation.objects.current_revisions()
        .filter(needed, indicator_id__in=indicator_ids, region_id__in=region_ids)
        .values_list(
            "indicator_id",
            "region_id",
            "year",
            "quarter",
            "month",
            "source",
            "is_chosen",
            "value",
            "id",
            "simulated",
        )
    )
    # Thousands of rows: read them through the cursor, skipping the ORM's per-value converters, and
    # turn only the figures that count into Decimal (SQLite hands back floats, PostgreSQL Decimals).
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # One pass: per period keep the office's choice, else the most authoritative source, else the newest.
    best: dict[tuple[int, int, int, int, int], tuple[Any, ...]] = {}
    priority = SOURCE_PRIORITY
    for r in rows:
        k = (r[0], r[1], r[2], r[3], r[4])
        cur = best.get(k)
        if cur is None or (r[6], -priority.get(r[5], 99), r[8]) > (cur[6], -priority.get(cur[5], 99), cur[8]):
            best[k] = r
    out: dict[tuple[int, int], FigureSet] = {}
    months: dict[tuple[int, int], dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for (ind, reg, year, quarter, month), r in best.items():
        if (ind, reg) not in keys:
            continue
        fs = out.get((ind, reg))
        if fs is None:
            fs = out[(ind, reg)] = FigureSet()
        if month:
            months[(ind, reg)][(year, month)] = _decimal(r[7])
            fs.sources.setdefault((year, (month + 2) // 3), r[5])
        else:
            fs.effective[(year, quarter)] = _decimal(r[7])
            fs.sources[(year, quarter)] = r[5]
        if r[9]:
            fs.simulated = True
    if months:
        aggregation = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "aggregation"))
        for (ind, reg), by_month in months.items():
            effective = out[(ind, reg)].effective
            for period, value in quarters_from_months(by_month, aggregation[ind]).items():
                effective.setdefault(period, value)
    return out


def unresolved_conflict_count(*, region_ids: Iterable[int]) -> int:
    """How many periods of the regions (and their parks) have sources that disagree with no choice made,
    in one aggregate query."""
    return sum(_unresolved_conflicts(region_ids=region_ids).values())


def _unresolved_conflicts(*, region_ids: Iterable[int]) -> dict[int, int]:
    """`unresolved_conflict_count` per district (a park's figures count for its district)."""
    from django.db.models import Max, Min

    ids = set(region_ids)
    groups = (
        Observation.objects.current_revisions()
        .filter(Q(region_id__in=ids) | Q(region__parent_id__in=ids))
        .values("indicator_id", "region_id", "region__parent_id", "year", "quarter", "month")
        .annotate(
            sources=Count("id"),
            low=Min("value"),
            high=Max("value"),
            chosen=Count("id", filter=Q(is_chosen=True)),
        )
        .filter(sources__gt=1)
        .order_by()
    )
    out = dict.fromkeys(ids, 0)
    for g in groups:
        if not g["chosen"] and g["high"] and (g["high"] - g["low"]) / g["high"] > CONFLICT_TOLERANCE:
            out[g["region_id"] if g["region_id"] in ids else g["region__parent_id"]] += 1
    return out


def conflicts(*, user: User, region: Region | None = None, unresolved_only: bool = False) -> list[Conflict]:
    """Periods where the latest figures of different sources differ by more than 0.5 %."""
    qs = (
        Observation.objects.current_revisions()
        .visible_to(user)
        .select_related("indicator", "region", "entered_by")
    )
    if region is not None:
        qs = qs.filter(Q(region=region) | Q(region__parent=region))
    groups: dict[tuple[int, int, int, int, int], list[Observation]] = defaultdict(list)
    for o in qs.order_by("indicator_id", "region_id", "year", "quarter", "month", "source"):
        groups[(o.indicator_id, o.region_id, o.year, o.quarter, o.month)].append(o)
    out = []
    for obs in groups.values():
        if len(obs) < 2:
            continue
        values = [o.value for o in obs]
        low, high = min(values), max(values)
        if high == 0 or (high - low) / high <= CONFLICT_TOLERANCE:
            continue
        chosen = next((o for o in obs if o.is_chosen), None)
        if unresolved_only and chosen is not None:
            continue
        first = obs[0]
        out.append(
            Conflict(
                first.indicator.name, first.indicator.unit, first.region.name, first.period_label, obs, chosen
            )
        )
    return out


def observation_history(*, observation: Observation) -> list[Observation]:
    """Every revision of the figure (same indicator, scope, period, source), newest first."""
    return list(
        Observation.objects.filter(
            indicator=observation.indicator_id,
            region=observation.region_id,
            year=observation.year,
            quarter=observation.quarter,
            month=observation.month,
            source=observation.source,
        )
        .select_related("entered_by")
        .order_by("-revision")
    )


# ------------------------------------------------------------------------------ target status
@dataclass
class TargetStatus:
    """A target with its evaluation; `source` names where its actual value comes from (a figure's
    source such as 统计快报, or a derived rule's description)."""

    target: Target
    evaluation: Evaluation
    bound: bool
    simulated: bool
    source: Any = ""  # str, or a lazily translated source label

    @property
    def status(self) -> str:
        return self.evaluation.status


@dataclass(frozen=True)
class TargetActual:
    """The one actual value of a target for an as-of date: what every page, export, the API and the
    CLI show. `period` is the period the value stands for ((year, 0) for a year, (year, q) for 1–q
    季度累计 or a quarter-end stock); `label` says it in words (2023年, 2024Q2, 2021—2023年年均增速)."""

    target_id: int
    value: Decimal | None
    period: Period | None
    label: str
    source: str
    simulated: bool


def target_actuals(*, plans: Sequence[Plan], as_of: Period | None = None) -> dict[int, TargetActual]:
    """Per target id of `plans`: its actual value, period and source as of `as_of` (None: as of
    today). A target for year Y is judged on Y's figure, or the latest inside Y while Y runs; a target
    bound to a derived rule (派生指标) reads the rule, every other target its indicator's figures."""
    return {ts.target.pk: actual_of(ts) for ts in target_statuses(plans=plans, as_of=as_of)}


def target_actual(*, target: Target, as_of: Period | None = None) -> TargetActual:
    """`target_actuals` of one target."""
    return target_actuals(plans=[target.plan], as_of=as_of)[target.pk]


def actual_of(ts: TargetStatus) -> TargetActual:
    """The `TargetActual` of an evaluated target (for callers that already hold its status)."""
    ev = ts.evaluation
    return TargetActual(
        target_id=ts.target.pk,
        value=ev.actual,
        period=ev.as_of,
        label=(ev.note or ev.as_of_label) if ev.actual is not None else "",
        source=str(ts.source) if ev.actual is not None else "",
        simulated=ts.simulated,
    )


# Figures that do not come from the indicator observations: a target bound to a derived rule reads
# the registries (enterprises, parks), which register a source here so tracking never imports them.
@dataclass(frozen=True)
class SourcedFigures:
    """A target's figures from a registered source, keyed like observations by (year, quarter).

    `aggregation` says how they combine: "sum" — flows (a year's total; quarters of a year are added
    up, so a source gives one quarter holding the year to date); "last" — the stock at period end. `cumulative`: the values are already the
    change since the start of counting (an increment target needs no baseline subtracted)."""

    values: dict[Period, Decimal]
    aggregation: str
    source: str
    cumulative: bool = False
    simulated: bool = False


# A source takes (target, judged period) pairs — the period each target is judged at, see
# `evaluation.judged_as_of` — and returns the figures of the targets it owns, by target id.
FigureSource = Callable[[Sequence[tuple[Target, Period]]], Mapping[int, SourcedFigures]]
_figure_sources: list[FigureSource] = []


def register_figure_source(
    func: FigureSource, *, version: Callable[[Iterable[int]], Mapping[int, Any]]
) -> None:
    """Register a source of target figures and, like `register_capacity_source`, a per-district
    summary of what it reads for the dashboard's cache fingerprint."""
    if func not in _figure_sources:
        _figure_sources.append(func)
        _capacity_versions.append(version)


def _sourced(
    targets: Sequence[Target], inputs: Mapping[int, TargetInput], as_of: Period | None
) -> dict[int, SourcedFigures]:
    if not _figure_sources:
        return {}
    if as_of is None:
        today = timezone.localdate()
        as_of = (today.year, (today.month + 2) // 3)
    pairs = [(t, judged_as_of(inputs[t.pk].year, as_of)) for t in targets]
    out: dict[int, SourcedFigures] = {}
    for source in _figure_sources:
        out.update(source(pairs))
    return out


def _default_baseline_year(plan: Plan) -> int | None:
    return plan.period_start - 1 if plan.period_start else None


# Other apps feed the forecasts without tracking importing them: a source takes (target, scope region
# id) pairs and returns, per target id, the output coming on stream per year (projects: 达产).
CapacitySource = Callable[[Sequence[tuple[Target, int | None]]], Mapping[int, Mapping[int, Decimal]]]
_capacity_sources: list[CapacitySource] = []


# Each source also says, per district, a summary of what it reads, so a cached dashboard changes when
# the source's data does (a project reaching 达产 changes a forecast without any figure being written).
CapacityVersion = Callable[[Iterable[int]], Mapping[int, Any]]
_capacity_versions: list[CapacityVersion] = []


def register_capacity_source(func: CapacitySource, *, version: CapacityVersion) -> CapacitySource:
    if func not in _capacity_sources:
        _capacity_sources.append(func)
        _capacity_versions.append(version)
    return func


def _capacity(pairs: Sequence[tuple[Target, int | None]]) -> dict[int, dict[int, Decimal]]:
    out: dict[int, dict[int, Decimal]] = {}
    for source in _capacity_sources:
        for target_id, by_year in source(pairs).items():
            merged = out.setdefault(target_id, {})
            for year, value in by_year.items():
                merged[year] = merged.get(year, Decimal(0)) + value
    return out


def _target_input(
    target: Target, binding: TargetBinding | None, plan: Plan, capacity: Mapping[int, Decimal] | None = None
) -> TargetInput:
    custom = {k: Decimal(str(v)) for k, v in (binding.custom_path if binding else {}).items()}
    baseline_value = (binding.baseline_value if binding else None) or target.baseline_value
    baseline_year = (
        (binding.baseline_year if binding else None) or target.baseline_year or _default_baseline_year(plan)
    )
    return TargetInput(
        kind=target.kind,
        value=target.value,
        unit=target.unit,
        year=target.year or plan.period_end or (baseline_year or 0) + 3,
        aggregation=binding.indicator.aggregation if binding else "sum",
        indicator_unit=binding.indicator.unit if binding else target.unit,
        level=target.level,
        path=binding.path if binding else "",
        custom=custom,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        capacity_by_year=capacity or {},
    )


def target_statuses(*, plans: Sequence[Plan], as_of: Period | None = None) -> list[TargetStatus]:
    """Every target of `plans` with its evaluation, in two queries (targets with bindings; figures)."""
    plan_by_id = {p.pk: p for p in plans}
    # Timestamps are never shown here: leaving them out spares hundreds of datetime conversions.
    targets = list(
        Target.objects.filter(plan_id__in=plan_by_id)
        .defer("created_at", "updated_at", "quote")
        .order_by("plan_id", "position")
    )
    bindings: dict[int, TargetBinding | None] = dict.fromkeys((t.pk for t in targets), None)
    for b in (
        TargetBinding.objects.filter(target__plan_id__in=plan_by_id)
        .select_related("indicator")
        .defer("created_at", "updated_at", "indicator__created_at", "indicator__updated_at")
    ):
        bindings[b.target_id] = b
    figures = figures_for(
        ((b.indicator_id, b.region_id) for b in bindings.values() if b is not None), as_of=as_of
    )
    limits = thresholds()
    for t in targets:
        t.plan = plan_by_id[t.plan_id]
    capacity = _capacity([(t, bindings[t.pk].region_id if bindings[t.pk] else None) for t in targets])  # type: ignore[union-attr]
    inputs = {t.pk: _target_input(t, bindings[t.pk], t.plan, capacity.get(t.pk)) for t in targets}
    sourced = _sourced(targets, inputs, as_of)
    out = []
    for t in targets:
        binding = bindings[t.pk]
        target_input = inputs[t.pk]
        derived = sourced.get(t.pk)
        if derived is not None:  # a derived rule is the truth; the indicator's figures are not read
            if derived.cumulative and t.kind == "increment":
                target_input = replace(target_input, aggregation="last", baseline_value=Decimal(0))
            else:
                target_input = replace(target_input, aggregation=derived.aggregation)
            evaluation = evaluate_target(target_input, derived.values, as_of=as_of, thresholds=limits)
            out.append(TargetStatus(t, evaluation, True, derived.simulated, derived.source))
            continue
        fs = figures.get((binding.indicator_id, binding.region_id)) if binding else None
        evaluation = evaluate_target(target_input, fs.effective if fs else {}, as_of=as_of, thresholds=limits)
        source: Any = ""
        if fs and evaluation.as_of is not None:
            code = fs.sources.get(evaluation.as_of, "")
            source = (
                Source(code).label if code in SOURCE_PRIORITY else code
            )  # lazy: shown in the reader's language
        out.append(TargetStatus(t, evaluation, binding is not None, bool(fs and fs.simulated), source))
    return out


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    counts = {GREEN: 0, YELLOW: 0, RED: 0, UNKNOWN: 0}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


# ------------------------------------------------------------------------------ tasks and reports
@dataclass
class TaskRow:
    task: Task
    role: str
    report: ProgressReport | None


def liaison_tasks(*, user: User, cycle: ReportingCycle) -> list[TaskRow]:
    """The tasks the user's department leads or co-runs in the cycle's region, with its report if any."""
    if user.department_id is None:
        return []
    assignments = (
        Assignment.objects.filter(
            department_id=user.department_id,
            task__plan__region_id=cycle.region_id,
            task__plan__is_current=True,
        )
        .select_related("task__plan")
        .order_by("task__plan__title", "task__position")
    )
    reports = {
        r.task_id: r for r in ProgressReport.objects.filter(cycle=cycle, department_id=user.department_id)
    }
    return [TaskRow(a.task, a.role, reports.get(a.task_id)) for a in assignments]


@dataclass
class ChaseRow:
    """One department's line on the 催办 list of a cycle."""

    department: Department
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    missing: int = 0
    late: int = 0  # submitted after the deadline (the mark stays after acceptance)
    returned: int = 0
    overdue: bool = False
    late_unreviewed: int = 0  # late and not yet accepted: what a 逾期 reminder is about


def chase_list(*, cycle: ReportingCycle, today: dt.date | None = None) -> list[ChaseRow]:
    """Per department: reports expected (one per assigned task), in, missing, late and returned.

    Missing counts only after the deadline; a report submitted after the deadline counts as late."""
    return chase_lists(cycles=[cycle], today=today)[cycle.pk]


def chase_lists(
    *, cycles: Sequence[ReportingCycle], today: dt.date | None = None
) -> dict[int, list[ChaseRow]]:
    """`chase_list` for several cycles in three aggregate queries (reports are counted, not read)."""
    today = today or timezone.localdate()
    if not cycles:
        return {}
    region_ids = {c.region_id for c in cycles}
    # region → plan end year (None: open-ended) → department → tasks assigned; a plan that has ended
    # before a cycle's year expects no report in it (已到期).
    assigned_by_end: dict[int, dict[int | None, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in (
        Assignment.objects.filter(task__plan__region_id__in=region_ids, task__plan__is_current=True)
        .values("task__plan__region_id", "task__plan__period_end", "department_id")
        .annotate(n=Count("task_id", distinct=True))
    ):
        by_end = assigned_by_end[row["task__plan__region_id"]][row["task__plan__period_end"]]
        by_end[row["department_id"]] = by_end.get(row["department_id"], 0) + row["n"]
    expected: dict[int, dict[int, int]] = defaultdict(dict)  # cycle → department → tasks assigned
    for c in cycles:
        for end, per in assigned_by_end.get(c.region_id, {}).items():
            if end is None or end >= c.year:
                for dep_id, n in per.items():
                    expected[c.pk][dep_id] = expected[c.pk].get(dep_id, 0) + n
    dep_ids = {d for per in expected.values() for d in per}
    departments = {d.pk: d for d in Department.objects.filter(pk__in=dep_ids)}
    # Late = submitted after the end of the deadline day, local time; one condition per cycle keeps
    # the comparison in SQL on both databases.
    tz = timezone.get_current_timezone()
    late = Q()
    for c in cycles:
        late |= Q(cycle_id=c.pk, submitted_at__gt=dt.datetime.combine(c.deadline, dt.time.max, tzinfo=tz))
    assigned = Assignment.objects.filter(
        Q(task__plan__period_end__isnull=True) | Q(task__plan__period_end__gte=OuterRef("cycle__year")),
        task_id=OuterRef("task_id"),
        department_id=OuterRef("department_id"),
        task__plan__is_current=True,
        task__plan__region_id=OuterRef("cycle__region_id"),
    )
    counts: dict[tuple[int, int], dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        ProgressReport.objects.filter(Exists(assigned), cycle__in=cycles)
        .exclude(state=ReportState.DRAFT)
        .values("cycle_id", "department_id", "state")
        .annotate(n=Count("id"), late=Count("id", filter=late))
        .order_by()
    ):
        counts[(row["cycle_id"], row["department_id"])][row["state"]] = (row["n"], row["late"])
    out: dict[int, list[ChaseRow]] = {}
    for cycle in cycles:
        overdue = today > cycle.deadline
        rows = []
        for dep_id, n in expected.get(cycle.pk, {}).items():
            by_state = counts.get((cycle.pk, dep_id), {})
            returned = by_state.get(ReportState.RETURNED, (0, 0))[0]
            submitted, submitted_late = by_state.get(ReportState.SUBMITTED, (0, 0))
            accepted, accepted_late = by_state.get(ReportState.ACCEPTED, (0, 0))
            rows.append(
                ChaseRow(
                    departments[dep_id],
                    expected=n,
                    submitted=submitted + accepted,
                    accepted=accepted,
                    missing=(n - returned - submitted - accepted) if overdue else 0,
                    late=submitted_late + accepted_late,
                    returned=returned,
                    overdue=overdue,
                    late_unreviewed=submitted_late,
                )
            )
        out[cycle.pk] = sorted(rows, key=lambda r: (-(r.missing + r.late + r.returned), r.department.name))
    return out


@dataclass(frozen=True)
class PlannedReminder:
    """A 催办 reminder the office is about to send (or that a report's change brings up to date): the
    department, what about, how many reports, the message and who receives it (liaisons; those with
    an e-mail address also get an e-mail)."""

    department: Department
    kind: str
    count: int
    message: str
    recipients: tuple[str, ...] = ()
    emailed: tuple[str, ...] = ()


def reminder_plan(
    *, cycle: ReportingCycle, today: dt.date | None = None, department_id: int | None = None
) -> list[PlannedReminder]:
    """Per department (or only `department_id`) and kind: the reminder the cycle's 催办 list calls for
    today — missing reports (after the deadline), reports submitted late and not yet accepted, returned
    reports. Kinds with nothing to remind have count 0 (an existing reminder of that kind is resolved)."""
    rows = chase_list(cycle=cycle, today=today)
    if department_id is not None:
        rows = [r for r in rows if r.department.pk == department_id]
    people: dict[int, list[User]] = defaultdict(list)
    for u in User.objects.filter(department__in=[r.department for r in rows], is_active=True).order_by(
        "username"
    ):
        people[u.department_id].append(u)  # type: ignore[index]
    out = []
    for row in rows:
        name = row.department.name
        liaisons = people.get(row.department.pk, [])
        for kind, count, text in (
            (
                ReminderKind.MISSING,
                row.missing,
                f"请于{cycle.deadline:%Y年%m月%d日}前报送{cycle.label}任务进展：尚有{row.missing}项未报送。",
            ),
            (
                ReminderKind.LATE,
                row.late_unreviewed,
                f"{cycle.label}有{row.late_unreviewed}项任务进展逾期报送，请按时报送。",
            ),
            (
                ReminderKind.RETURNED,
                row.returned,
                f"{cycle.label}有{row.returned}项任务进展被退回，请修改后重新提交。",
            ),
        ):
            out.append(
                PlannedReminder(
                    department=row.department,
                    kind=kind,
                    count=count,
                    message=f"{name}：{text}",
                    recipients=tuple(u.get_full_name() or u.username for u in liaisons),
                    emailed=tuple(u.email for u in liaisons if u.email),
                )
            )
    return out


def reports_to_review(*, user: User) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.visible_to(user)
        .filter(state=ReportState.SUBMITTED)
        .select_related("task__plan", "department", "cycle", "submitted_by")
        .order_by("submitted_at")
    )


def reminders_for(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.visible_to(user).filter(resolved=False).select_related("cycle", "department")


def task_statuses(*, plans: Sequence[Plan], today: dt.date | None = None) -> dict[int, str]:
    """Each task's colour from the latest submitted or accepted report of each of its departments and
    its earliest open node (progress.task_status)."""
    today = today or timezone.localdate()
    reports = (
        ProgressReport.objects.filter(
            task__plan__in=plans, state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]
        )
        .order_by("task_id", "department_id", "cycle__year", "cycle__quarter")
        .values_list("task_id", "department_id", "progress", "percent_done")
    )
    latest: dict[int, dict[int, TaskReportFacts]] = defaultdict(dict)
    for task_id, dep_id, progress, percent in reports:
        latest[task_id][dep_id] = TaskReportFacts(progress, percent)
    by_plan = {p.pk: p for p in plans}
    open_nodes = dict(
        TaskNode.objects.filter(task__plan__in=plans, done_date__isnull=True)
        .values("task_id")
        .annotate(first=Min("due_date"))
        .values_list("task_id", "first")
        .order_by()
    )
    out = {}
    for task_id, plan_id in Task.objects.filter(plan__in=plans).values_list("id", "plan_id"):
        plan = by_plan[plan_id]
        due = dt.date(plan.period_end, 12, 31) if plan.period_end else None
        start = dt.date(plan.period_start, 1, 1) if plan.period_start else None
        out[task_id] = task_status(
            list(latest.get(task_id, {}).values()),
            due=due,
            today=today,
            started=start,
            open_node_due=open_nodes.get(task_id),
        )
    return out


@dataclass
class DepartmentTasks:
    department: str
    counts: dict[str, int]


def _lead_colours(
    *, plans: Sequence[Plan], today: dt.date | None = None
) -> dict[int, dict[str, dict[str, int]]]:
    """Per district: task colours counted per lead department."""
    colours = task_statuses(plans=plans, today=today)
    per: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    leads = Assignment.objects.filter(task__plan__in=plans, role=AssignmentRole.LEAD).values_list(
        "task__plan__region_id", "task_id", "department__name"
    )
    for region_id, task_id, name in leads:
        counts = per[region_id].setdefault(name, status_counts([]))
        counts[colours.get(task_id, UNKNOWN)] += 1
    return per


def _department_rows(per: Iterable[Mapping[str, Mapping[str, int]]]) -> list[DepartmentTasks]:
    merged: dict[str, dict[str, int]] = {}
    for by_name in per:
        for name, counts in by_name.items():
            into = merged.setdefault(name, status_counts([]))
            for colour, n in counts.items():
                into[colour] += n
    return [
        DepartmentTasks(name, counts) for name, counts in sorted(merged.items(), key=lambda kv: -kv[1][RED])
    ]


def task_status_by_department(
    *, plans: Sequence[Plan], today: dt.date | None = None
) -> list[DepartmentTasks]:
    """Task colours counted per lead department."""
    return _department_rows(_lead_colours(plans=plans, today=today).values())


# ------------------------------------------------------------------------------ dashboard
@dataclass
class Dashboard:
    plans: list[Plan]
    targets: list[TargetStatus]
    target_counts: dict[str, int]
    departments: list[DepartmentTasks]
    task_counts: dict[str, int]
    late: list[tuple[ReportingCycle, ChaseRow]]
    conflicts: int
    simulated: bool
    charts: list[dict[str, Any]]
    plan_rows: list[PlanRow] = field(default_factory=list)
    attention: list[TargetStatus] = field(default_factory=list)
    shows_reports: bool = True  # False for researchers: no 催办 (late reports) table

    @property
    def comparison_chart(self) -> dict[str, Any]:
        """An ECharts option comparing target colours per district (several plans) or task colours
        per lead department (one plan): horizontal stacked bars, for the 大屏."""
        if len(self.plan_rows) > 1:
            regions = [row.plan.region.name for row in self.plan_rows]
            # Two plans of one district (a plan and a research paper) are told apart by their titles.
            names = [
                name if regions.count(name) == 1 else f"{name}·{row.plan.title[:6]}"
                for name, row in zip(regions, self.plan_rows, strict=True)
            ]
            counts = [row.counts for row in self.plan_rows]
            title = "各区目标状态"
        else:
            names = [d.department for d in self.departments]
            counts = [d.counts for d in self.departments]
            title = "各牵头部门任务状态"
        colours = {GREEN: "#2fb344", YELLOW: "#f59f00", RED: "#d63939", UNKNOWN: "#6b7a90"}
        return {
            "id": "comparison-chart",
            "title": title,
            "option": {
                "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
                "legend": {
                    "top": 0,
                    "data": [STATUS_LABELS[k] for k in colours],
                    "textStyle": {"fontSize": 18},
                },
                "grid": {"left": 8, "right": 24, "top": 44, "bottom": 8, "containLabel": True},
                "xAxis": {"type": "value", "minInterval": 1, "axisLabel": {"fontSize": 16}},
                "yAxis": {
                    "type": "category",
                    "inverse": True,
                    "data": names,
                    "axisLabel": {"fontSize": 20, "interval": 0},
                },
                "series": [
                    {
                        "name": STATUS_LABELS[k],
                        "type": "bar",
                        "stack": "status",
                        "itemStyle": {"color": colour},
                        "label": {"show": True, "fontSize": 16},
                        "data": [c.get(k, 0) or None for c in counts],
                    }
                    for k, colour in colours.items()
                ],
            },
        }


@dataclass
class PlanRow:
    """One plan's line on the region-wide dashboard."""

    plan: Plan
    counts: dict[str, int]
    simulated: bool


ATTENTION_LIMIT = 30


def district_versions(district_ids: Iterable[int]) -> dict[int, str]:
    """A fingerprint, per district, of everything its dashboard reads: row counts and latest changes of
    its figures (parks included), plans, targets and bindings, tasks, assignments and task nodes, reporting cycles
    and reports, plus what the capacity sources read (key projects). Any write to a district's data
    changes its fingerprint and no other district's. Eight grouped queries, whatever the number of
    districts."""
    from django.db.models import Max

    ids = sorted(set(district_ids))
    parts: dict[int, list[Any]] = {i: [] for i in ids}

    def fold(qs: QuerySet[Any], key: str, parent: str = "", **extra: Any) -> None:
        """Row count, latest change and highest id of `qs` per district (`key`, or `parent` for a
        park's rows), plus the `extra` aggregates."""
        group = (key, parent) if parent else (key,)
        rows = (
            qs.values(*group)
            .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"), **extra)
            .order_by(*group)
        )
        for row in rows:
            district = row[key] if row[key] in parts else row.get(parent)
            if district in parts:
                parts[district].append(tuple(row[f] for f in (key, "n", "last", "top", *extra)))

    fold(
        Observation.objects.filter(Q(region_id__in=ids) | Q(region__parent_id__in=ids)),
        "region_id",
        parent="region__parent_id",
    )
    fold(Plan.objects.filter(region_id__in=ids), "region_id")
    fold(
        Target.objects.filter(plan__region_id__in=ids),
        "plan__region_id",
        bound=Count("binding"),
        bound_last=Max("binding__updated_at"),
        bound_top=Max("binding__id"),
    )
    fold(
        Assignment.objects.filter(task__plan__region_id__in=ids),
        "task__plan__region_id",
        tasks=Count("task_id", distinct=True),
        task_last=Max("task__updated_at"),
    )
    fold(TaskNode.objects.filter(task__plan__region_id__in=ids), "task__plan__region_id")
    fold(ReportingCycle.objects.filter(region_id__in=ids), "region_id")
    fold(ProgressReport.objects.filter(cycle__region_id__in=ids), "cycle__region_id")
    for version in _capacity_versions:
        for district, summary in version(ids).items():
            if district in parts:
                parts[district].append(summary)
    limits = thresholds()
    return {i: hashlib.sha256(repr((limits, parts[i])).encode()).hexdigest()[:32] for i in ids}


def regions_visible_to(user: User) -> QuerySet[Region]:
    """The regions whose dashboard the user may open: its own and those below it."""
    return Region.objects.filter(access.user_regions_q(user))


def plans_for_dashboard(
    *, user: User, plan: Plan | None = None, region: Region | None = None, ended: bool = False
) -> list[Plan]:
    """One plan, or the current plans the user sees of a region (the user's by default): those still
    running, or with `ended` those past their end year (已到期)."""
    if plan is not None:
        return [plan]
    qs = Plan.objects.visible_to(user).current().select_related("region")
    qs = qs.ended() if ended else qs.running()
    region = region or user.region
    if region is not None:
        qs = qs.filter(access.region_q(region, "region"))  # a city: the plans of its districts
    return list(qs.order_by("region__name", "title"))


def dashboard(
    *,
    user: User,
    plan: Plan | None = None,
    region: Region | None = None,
    as_of: Period | None = None,
    today: dt.date | None = None,
    chart_limit: int = 12,
    versions: Mapping[int, str] | None = None,
    ended: bool = False,
) -> Dashboard:
    """Targets with attainment and status, task status by department, late reports, chart options;
    the running plans, or with `ended` the plans past their end year.

    `versions` (from `district_versions`) lets a caller that has already read them spare the queries."""
    plans = plans_for_dashboard(user=user, plan=plan, region=region, ended=ended)
    data = _dashboard(
        plans=plans,
        as_of=as_of,
        today=today or timezone.localdate(),
        chart_limit=chart_limit,
        versions=versions,
    )
    scope = dashboard_report_scope(user)
    if scope == "none":
        data.late, data.shows_reports = [], False
    elif scope != "all":
        # A liaison (or park operator) reads only its own department's reports and reminders.
        data.late = [(cycle, row) for cycle, row in data.late if row.department.pk == user.department_id]
    return data


def dashboard_report_scope(user: User) -> str:
    """Which progress-report rows (催办) the dashboard shows `user` (docs/permissions.md): "none" to
    researchers, "department:<id>" to liaisons and park operators (their own department's rows),
    "all" to the office and leaders. Part of the dashboard's cache key."""
    if access.is_researcher(user):
        return "none"
    if access.role_of(user) in (Role.LIAISON, Role.PARK_OPERATOR) and not user.is_superuser:
        return f"department:{user.department_id}"
    return "all"


def dashboard_cache_key(
    *, plans: Sequence[Plan], as_of: Period | None, versions: Mapping[int, str], extra: str = ""
) -> str:
    """A cache key for what the dashboard shows of `plans`: it changes with any write to the data of
    their districts (`district_versions`) and with the day, so a cached page is never stale."""
    raw = repr(
        (
            sorted(p.pk for p in plans),
            as_of,
            timezone.localdate().isoformat(),
            extra,
            sorted((d, versions[d]) for d in {p.region_id for p in plans}),
        )
    )
    return "tracking:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class DistrictPart:
    """What the dashboard shows of one district's plans; cached per district, so a write in one
    district leaves the others' parts cached."""

    targets: list[TargetStatus]
    departments: dict[str, dict[str, int]]
    late: list[tuple[ReportingCycle, ChaseRow]]
    conflicts: int


DISTRICT_PART_TIMEOUT = 24 * 3600


def _district_parts(
    *, plans: Sequence[Plan], as_of: Period | None, today: dt.date
) -> dict[int, DistrictPart]:
    """The parts of the districts of `plans`, computed together (the query count does not grow with
    the number of districts)."""
    region_ids = {p.region_id for p in plans}
    parts = {r: DistrictPart(targets=[], departments={}, late=[], conflicts=0) for r in region_ids}
    for ts in target_statuses(plans=plans, as_of=as_of):
        parts[ts.target.plan.region_id].targets.append(ts)
    for r, by_name in _lead_colours(plans=plans, today=today).items():
        parts[r].departments = by_name
    cycles = list(ReportingCycle.objects.filter(region_id__in=region_ids).open().select_related("region"))
    chased = chase_lists(cycles=cycles, today=today)
    for cycle in cycles:
        for row in chased[cycle.pk]:
            if row.missing or row.late or row.returned:
                parts[cycle.region_id].late.append((cycle, row))
    for r, n in _unresolved_conflicts(region_ids=region_ids).items():
        parts[r].conflicts = n
    return parts


def _dashboard(
    *,
    plans: list[Plan],
    as_of: Period | None,
    today: dt.date,
    chart_limit: int,
    versions: Mapping[int, str] | None = None,
) -> Dashboard:
    from django.core.cache import cache

    by_district: dict[int, list[Plan]] = defaultdict(list)
    for p in plans:
        by_district[p.region_id].append(p)
    if versions is None:
        versions = district_versions(by_district)
    keys = {
        r: f"tracking:district:{r}:"
        + hashlib.sha256(repr((sorted(p.pk for p in ps), as_of, today, versions[r])).encode()).hexdigest()
        for r, ps in by_district.items()
    }
    cached = cache.get_many(list(keys.values()))
    parts: dict[int, DistrictPart] = {r: cached[k] for r, k in keys.items() if k in cached}
    missing = [p for r, ps in by_district.items() if r not in parts for p in ps]
    if missing:
        fresh = _district_parts(plans=missing, as_of=as_of, today=today)
        parts.update(fresh)
        cache.set_many({keys[r]: part for r, part in fresh.items()}, timeout=DISTRICT_PART_TIMEOUT)
    # Cached parts carry their own copies of the plans: show the targets in the order of `plans`.
    order = {p.pk: i for i, p in enumerate(plans)}
    targets = sorted(
        (ts for part in parts.values() for ts in part.targets),
        key=lambda ts: (order[ts.target.plan_id], ts.target.position),
    )
    departments = _department_rows(part.departments for part in parts.values())
    task_counts = status_counts([])
    for d in departments:
        for k, v in d.counts.items():
            task_counts[k] += v
    late = [row for part in parts.values() for row in part.late]
    late.sort(
        key=lambda cr: (
            -(cr[1].missing + cr[1].late + cr[1].returned),
            cr[0].region.name,
            cr[1].department.name,
        )
    )
    # One plan: its first targets with figures; several plans: the first such target of each plan.
    charted: list[TargetStatus] = []
    plans_charted: set[int] = set()
    for ts in targets:
        if len(charted) >= chart_limit:
            break
        if not ts.evaluation.actual_series or (len(plans) > 1 and ts.target.plan_id in plans_charted):
            continue
        charted.append(ts)
        plans_charted.add(ts.target.plan_id)
    charts = [trend_chart(ts) for ts in charted]
    by_plan: dict[int, list[TargetStatus]] = defaultdict(list)
    for ts in targets:
        by_plan[ts.target.plan_id].append(ts)
    plan_rows = [
        PlanRow(
            p,
            status_counts(ts.status for ts in by_plan[p.pk] if ts.bound),
            any(ts.simulated for ts in by_plan[p.pk]),
        )
        for p in plans
    ]
    rank = {RED: 0, YELLOW: 1}
    attention = sorted(
        (ts for ts in targets if ts.bound and ts.status in rank),
        key=lambda ts: (rank[ts.status], ts.evaluation.attainment or Decimal(0)),
    )[:ATTENTION_LIMIT]
    return Dashboard(
        conflicts=sum(part.conflicts for part in parts.values()),
        plan_rows=plan_rows,
        attention=attention,
        plans=plans,
        targets=targets,
        target_counts=status_counts(ts.status for ts in targets if ts.bound),
        departments=departments,
        task_counts=task_counts,
        late=late,
        simulated=any(ts.simulated for ts in targets),
        charts=charts,
    )


def dashboard_warm(*, today: dt.date | None = None) -> int:
    """Compute and cache the dashboard parts of every district's current plans (what the city-wide and
    district pages read), so the first page of the day is not the one that computes them. Returns the
    number of districts."""
    plans = list(Plan.objects.current().select_related("region").order_by("region__name", "title"))
    _dashboard(plans=plans, as_of=None, today=today or timezone.localdate(), chart_limit=0)
    return len({p.region_id for p in plans})


def trend_chart(ts: TargetStatus) -> dict[str, Any]:
    """An ECharts option: actual figures, the expected path and the target line of one target."""
    ev = ts.evaluation
    years = sorted(
        {y for y, _ in ev.actual_series} | {y for y, _ in ev.expected_series} | {ts.target.year or 0} - {0}
    )
    actual = dict(ev.actual_series)
    expected = dict(ev.expected_series)
    t = ts.target
    growth = t.kind == "growth_rate"
    if t.plan.is_ended and not growth:  # 已到期: the final figures against the target, no 序时 path
        expected = {}
    names = ("实际年均增速", "目标增速") if growth else ("实际", "序时进度")
    series: list[dict[str, Any]] = [
        {"name": names[0], "type": "line", "data": [_num(actual.get(y)) for y in years]},
        {
            "name": names[1],
            "type": "line",
            "lineStyle": {"type": "dashed"},
            "data": [_num(expected.get(y)) for y in years],
        },
    ]
    if not growth:  # a growth target's expected series is its rate already
        series.append(
            {
                "name": "目标",
                "type": "line",
                "symbol": "none",
                "lineStyle": {"type": "dotted"},
                "data": [_num(t.value) for _ in years],
            }
        )
    return {
        "id": f"target-{t.pk}",
        "title": target_title(t),
        "option": {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [s["name"] for s in series]},
            "xAxis": {"type": "category", "data": [str(y) for y in years], "axisLabel": {"interval": 0}},
            # A growth target is charted as rates, so its axis is %; every other in the target's unit.
            "yAxis": {"type": "value", "name": "%" if growth else t.unit},
            "series": series,
        },
    }


def target_title(t: Target) -> str:
    """A chart title that names the target, not only its metric: 「青浦区 工业总产值：确保 ≥160亿元（2023年）」,
    「工业总产值年均增长：力争 ≥8%（2023年）」."""
    from bioplan.tracking.evaluation import LEVEL_LABELS
    from bioplan.web.templatetags.bioplan_format import COMPARATOR_SYMBOLS, qty

    scope = f"{t.scope} " if t.scope and t.scope != t.plan.region.name else ""
    what = f"{t.metric}年均增长" if t.kind == "growth_rate" and "增" not in t.metric else t.metric
    level = LEVEL_LABELS.get(t.level, "")
    if t.comparator == "range" and t.value_max is not None:
        value = f"{qty(t.value)}~{qty(t.value_max)}"
    else:
        value = f"{COMPARATOR_SYMBOLS.get(t.comparator, '')}{qty(t.value)}"
    year = f"（{t.year}年）" if t.year else ""
    return f"{scope}{what}：{level + ' ' if level else ''}{value}{t.unit}{year}"


def _num(v: Decimal | None) -> float | None:
    return None if v is None else round(float(v), 2)
