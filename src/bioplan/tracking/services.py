"""Every write of tracking: figures, bindings, reporting cycles, progress reports, reminders, checks.

Each service takes keyword-only arguments, runs in a transaction, validates with full_clean() and
records who changed what through django-simple-history (`_history_user`, `_change_reason`).
Permission rules are enforced here, so views, API, CLI and jobs share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bioplan.core import access
from bioplan.core.choices import RegionLevel, Role
from bioplan.core.concurrency import edit_conflict, version_claim
from bioplan.core.models import Department, Region, User
from bioplan.core.services import audited_save
from bioplan.ingest.quantities import canonical_unit, known_units
from bioplan.plans.models import Plan, Target, Task
from bioplan.tracking.choices import (
    Aggregation,
    CycleState,
    PathKind,
    Progress,
    ReportState,
    Verdict,
)
from bioplan.tracking.consistency import Finding, plan_findings
from bioplan.tracking.models import (
    ConsistencyFinding,
    Indicator,
    Observation,
    ProgressReport,
    Reminder,
    ReportAttachment,
    ReportingCycle,
    TargetBinding,
)
from bioplan.tracking.progress import COUNT_UNITS


def _is_office(user: User | None) -> bool:
    return user is not None and (user.is_superuser or user.role == Role.OFFICE_ADMIN)


def _require_office(user: User | None, region: Region | None = None) -> None:
    if user is None:
        return  # system jobs (demo loader, imports) act without a user
    if not _is_office(user):
        raise PermissionDenied("只有产业办公室可以执行此操作。")
    if region is not None and not access.user_reaches_region(user, region):
        raise PermissionDenied("不能操作其他区的数据。")


def _operates(user: User, region: Region) -> bool:
    """Whether `region` is a park the park operator runs (its own park-level region, or a registered
    park whose operator is the user's company)."""
    if region.pk == user.region_id and region.level == RegionLevel.PARK:
        return True
    return bool(
        user.department_id
        and Region.objects.filter(
            pk=region.pk, park_profile__operator_department_id=user.department_id
        ).exists()
    )


def _require_region(user: User | None, region: Region) -> None:
    if user is not None and not access.user_reaches_region(user, region):
        raise PermissionDenied("不能操作其他区的数据。")


# ------------------------------------------------------------------------------ indicators, figures
@transaction.atomic
def _default_aggregation(unit: str) -> str:
    """Counts and shares are stocks (the period's last value); amounts are flows (summed)."""
    return Aggregation.LAST if unit in COUNT_UNITS or unit == "%" else Aggregation.SUM


def indicator_get_or_create(
    *, name: str, unit: str, aggregation: str = "", user: User | None = None
) -> Indicator:
    """The indicator of that name and unit, created with `aggregation` (default: sum, or last for counts)."""
    indicator = Indicator.objects.filter(name=name, unit=unit).first()
    if indicator is not None:
        return indicator
    indicator = Indicator(name=name, unit=unit, aggregation=aggregation or _default_aggregation(unit))
    audited_save(indicator, user=user, reason="indicator created")
    return indicator


@transaction.atomic
def indicator_create(
    *, name: str, unit: str, aggregation: str = "", description: str = "", user: User | None
) -> Indicator:
    """Add an indicator to the catalogue (指标目录) shared by every district. The unit must be one the
    plans use (亿元, %, 家, …: `bioplan.ingest.quantities.known_units`); 亿 is stored as 亿元."""
    _require_office(user)
    name = name.strip()
    canonical = canonical_unit(unit)
    if canonical is None:
        raise ValidationError({"unit": f"未知单位“{unit.strip()}”。可用单位：{'、'.join(known_units())}"})
    if Indicator.objects.filter(name=name, unit=canonical).exists():
        raise ValidationError({"name": f"指标“{name}（{canonical}）”已存在。"})
    indicator = Indicator(
        name=name,
        unit=canonical,
        aggregation=aggregation or _default_aggregation(canonical),
        description=description,
    )
    audited_save(indicator, user=user, reason="indicator created")
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, aggregation: str, description: str, user: User | None
) -> Indicator:
    """Change how an indicator combines periods and its description (name and unit stay: figures and
    targets of every district refer to them)."""
    _require_office(user)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    indicator.aggregation = aggregation
    indicator.description = description
    audited_save(indicator, user=user, reason="indicator changed")
    return indicator


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    region: Region,
    year: int,
    value: Decimal,
    source: str,
    quarter: int = 0,
    month: int = 0,
    note: str = "",
    user: User | None = None,
    department: Department | None = None,
    simulated: bool = False,
) -> Observation:
    """Record a figure. A figure for the same indicator, scope, period and source already present is
    corrected: a new revision is stored and the old one stays in the history (no longer latest)."""
    if user is not None and not _is_office(user):
        if user.role not in (Role.LIAISON, Role.PARK_OPERATOR) or user.department_id is None:
            raise PermissionDenied("只读用户不能录入数据。")
        if department is not None and department.pk != user.department_id:
            raise PermissionDenied("联络员只能录入本部门报送的数据。")
        _require_region(user, region)
        if user.role == Role.PARK_OPERATOR and not _operates(user, region):
            raise PermissionDenied("园区运营方只能录入本园区的数据。")
        department = user.department
    elif user is not None:
        _require_office(user, region)
    key: dict[str, Any] = {
        "indicator": indicator,
        "region": region,
        "year": year,
        "quarter": quarter,
        "month": month,
        "source": source,
    }
    # Two corrections at once: the second waits here until the first commits, then sees its revision
    # and becomes the next one (locking the latest revision alone lets it miss the new row).
    Indicator.objects.select_for_update().only("pk").get(pk=indicator.pk)
    previous = Observation.objects.select_for_update().filter(is_latest=True, **key).first()
    if previous is not None:
        if user is not None and not _is_office(user) and previous.department_id != user.department_id:
            raise PermissionDenied("联络员只能更正本部门报送的数据。")
        previous.is_latest = False
        was_chosen = previous.is_chosen
        previous.is_chosen = False
        audited_save(previous, user=user, reason="superseded by a correction")
    observation = Observation(
        **key,
        value=value,
        note=note,
        department=department,
        entered_by=user,
        simulated=simulated,
        revision=(previous.revision + 1) if previous else 1,
        supersedes=previous,
        is_chosen=bool(previous and was_chosen),
    )
    audited_save(observation, user=user, reason="correction" if previous else "recorded")
    return observation


@transaction.atomic
def observation_choose(*, observation: Observation, user: User | None) -> Observation:
    """The office decides which source counts for a period when sources disagree."""
    _require_office(user, observation.region)
    if not observation.is_latest:
        raise ValidationError("只能选择最新版本的数据。")
    others = (
        Observation.objects.select_for_update()
        .filter(
            indicator=observation.indicator_id,
            region=observation.region_id,
            year=observation.year,
            quarter=observation.quarter,
            month=observation.month,
            is_chosen=True,
        )
        .exclude(pk=observation.pk)
    )
    for other in others:
        other.is_chosen = False
        audited_save(other, user=user, reason="another source chosen")
    observation.is_chosen = True
    audited_save(observation, user=user, reason="chosen by the office")
    return observation


@transaction.atomic
def target_bind(
    *,
    target: Target,
    indicator: Indicator,
    region: Region,
    path: str = PathKind.AUTO,
    custom_path: dict[str, Any] | None = None,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    user: User | None = None,
    expected_version: int | None = None,
) -> TargetBinding:
    """Link a target to the indicator and scope that measure it (replacing an earlier link).

    `expected_version` is the binding's version the user loaded (0: the target was unbound); if
    another user changed the binding since, `EditConflict` and nothing is saved. None: no check."""
    _require_office(user, target.plan.region)
    if user is not None:
        _require_region(user, region)
    binding = TargetBinding.objects.filter(target=target).first()
    if binding is not None:
        version_claim(binding, expected_version=expected_version)
    elif expected_version:  # loaded a binding that has since been removed
        raise edit_conflict(TargetBinding(target=target), expected_version=expected_version)
    else:
        binding = TargetBinding(target=target)
    binding.indicator = indicator
    binding.region = region
    binding.path = path
    binding.custom_path = {str(k): str(v) for k, v in (custom_path or {}).items()}
    binding.baseline_value = baseline_value
    binding.baseline_year = baseline_year
    if binding.pk is not None:
        audited_save(binding, user=user, reason="target bound")
        return binding
    try:
        with transaction.atomic():  # two users binding the same unbound target at once
            audited_save(binding, user=user, reason="target bound")
    except IntegrityError:
        existing = TargetBinding.objects.get(target=target)
        raise edit_conflict(existing, expected_version=0) from None
    return binding


@transaction.atomic
def plan_bind_targets(*, plan: Plan, user: User | None = None) -> list[TargetBinding]:
    """Bind every unbound level/increment/share/growth target of a plan to an indicator named after its
    metric and unit (growth rates to the metric's value indicator) and to its scope's region."""
    bindings = []
    units = {(t.metric, t.unit) for t in plan.targets.all() if t.kind != "growth_rate"}
    for target in plan.targets.filter(binding__isnull=True).order_by("position"):
        unit = target.unit
        if target.kind == "growth_rate":
            # The rate is measured on the same metric's value; pick the unit used by a level target.
            unit = next((u for m, u in sorted(units) if m == target.metric), "")
            if not unit:
                continue
        indicator = indicator_get_or_create(name=target.metric, unit=unit, user=user)
        region = plan.region
        if target.scope and target.scope != plan.region.name:
            region = Region.objects.filter(
                parent=plan.region, name=target.scope
            ).first() or Region.objects.create(name=target.scope, level=RegionLevel.PARK, parent=plan.region)
        bindings.append(target_bind(target=target, indicator=indicator, region=region, user=user))
    return bindings


# ------------------------------------------------------------------------------ reporting cycles
@transaction.atomic
def cycle_open(
    *, region: Region, year: int, quarter: int, deadline: dt.date, user: User | None, simulated: bool = False
) -> ReportingCycle:
    """The office opens a quarter for progress reports with a deadline."""
    _require_office(user, region)
    if ReportingCycle.objects.filter(region=region, year=year, quarter=quarter).exists():
        raise ValidationError(f"{year}年第{quarter}季度的报送已经开启。")
    _require_running_plan(region, year)
    cycle = ReportingCycle(
        region=region, year=year, quarter=quarter, deadline=deadline, opened_by=user, simulated=simulated
    )
    audited_save(cycle, user=user, reason="cycle opened")
    return cycle


def _require_running_plan(region: Region, year: int) -> None:
    """No reporting for a year after every current plan of the district has ended (已到期); a district
    without plans is not refused (its plans may be imported later)."""
    ends = list(Plan.objects.current().filter(region=region).values_list("period_end", flat=True))
    if ends and None not in ends and max(e for e in ends if e is not None) < year:
        last = max(e for e in ends if e is not None)
        raise ValidationError(
            f"{region.name}的行动方案均已于{last}年到期，不能开启或催办{year}年的报送；请先导入接续方案。"
        )


@transaction.atomic
def cycle_update(*, cycle: ReportingCycle, deadline: dt.date, user: User | None) -> ReportingCycle:
    """The office moves the deadline of an open cycle (reports already in keep their late marks, which
    are recomputed against the new deadline); the reminders follow."""
    _require_office(user, cycle.region)
    _require_open(cycle)
    cycle.deadline = deadline
    cycle.full_clean()
    audited_save(cycle, user=user, reason="deadline changed")
    for department_id in _cycle_departments(cycle):
        reminders_refresh(cycle=cycle, department_id=department_id, user=user)
    return cycle


@transaction.atomic
def cycle_close(*, cycle: ReportingCycle, user: User | None) -> ReportingCycle:
    """The office closes a cycle: from then on it is read-only (no report saved, submitted, reviewed
    or reminded); its late marks stay as they were. Open reminders of the cycle are resolved."""
    _require_office(user, cycle.region)
    _require_open(cycle)
    cycle.state = CycleState.CLOSED
    audited_save(cycle, user=user, reason="cycle closed")
    for reminder in Reminder.objects.filter(cycle=cycle, resolved=False):
        reminder.resolved = True
        audited_save(reminder, user=user, reason="cycle closed")
    return cycle


def _require_open(cycle: ReportingCycle) -> None:
    if cycle.state != CycleState.OPEN:
        raise ValidationError(f"{cycle.label}报送已关闭，不能再修改。")


def _cycle_departments(cycle: ReportingCycle) -> set[int]:
    return set(Reminder.objects.filter(cycle=cycle, resolved=False).values_list("department_id", flat=True))


# ------------------------------------------------------------------------------ progress reports
def _require_liaison_of(user: User | None, department: Department) -> None:
    if user is None:
        return
    if user.role not in (Role.LIAISON, Role.PARK_OPERATOR) or user.department_id != department.pk:
        raise PermissionDenied("只能填报本部门的任务进展。")
    if department.region is not None:
        _require_region(user, department.region)


@transaction.atomic
def report_save(
    *,
    cycle: ReportingCycle,
    task: Task,
    user: User | None,
    department: Department | None = None,
    progress: str = Progress.IN_PROGRESS,
    percent_done: int = 0,
    done_text: str = "",
    next_steps: str = "",
    problems: str = "",
    simulated: bool = False,
    expected_version: int | None = None,
) -> ProgressReport:
    """Create or update the draft report of the user's department on a task.

    `expected_version` is the report's version the user loaded (0: there was none yet). If another
    user saved, submitted or reviewed it since, `EditConflict` and nothing is saved. None: no check."""
    department = department or (user.department if user else None)
    if department is None:
        if user is not None:
            raise PermissionDenied("只有部门联络员可以填报任务进展。")
        raise ValidationError("需要指定填报部门。")
    _require_liaison_of(user, department)
    _require_region(user, cycle.region)
    if cycle.state != CycleState.OPEN:
        raise ValidationError("本季度报送已关闭。")
    if task.plan.region_id != cycle.region_id:
        raise ValidationError("任务不属于本区的行动方案。")
    if not task.assignments.filter(department=department).exists():
        raise PermissionDenied("该任务未分配给本部门。")
    report = ProgressReport.objects.filter(cycle=cycle, task=task, department=department).first()
    if report is None:
        if expected_version:  # loaded a report that has since been removed
            raise edit_conflict(
                ProgressReport(cycle=cycle, task=task, department=department),
                expected_version=expected_version,
            )
        report = ProgressReport(cycle=cycle, task=task, department=department, simulated=simulated)
    else:
        version_claim(report, expected_version=expected_version)
        if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
            raise ValidationError("已提交或已采纳的报告不能修改。")
    report.progress = progress
    report.percent_done = 100 if progress == Progress.DONE else percent_done
    report.done_text = done_text
    report.next_steps = next_steps
    report.problems = problems
    if report.pk is not None:
        audited_save(report, user=user, reason="report saved")
        reminders_refresh(cycle=cycle, department_id=department.pk, user=user)
        return report
    try:
        with transaction.atomic():  # two people creating the department's report at once
            audited_save(report, user=user, reason="report saved")
    except IntegrityError:
        existing = ProgressReport.objects.get(cycle=cycle, task=task, department=department)
        raise edit_conflict(existing, expected_version=0) from None
    reminders_refresh(cycle=cycle, department_id=department.pk, user=user)
    return report


@transaction.atomic
def report_submit(
    *,
    report: ProgressReport,
    user: User | None,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """The department's liaison submits its draft (or returned) report to the office.

    `expected_version`: the version the liaison saw (`EditConflict` if it changed since; None: no check)."""
    _require_liaison_of(user, report.department)
    _require_open(report.cycle)
    version_claim(report, expected_version=expected_version)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError("只有草稿或退回的报告可以提交。")
    if not report.done_text.strip():
        raise ValidationError({"done_text": "请填写本季度完成情况。"})
    report.state = ReportState.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = user
    audited_save(report, user=user, reason="submitted")
    reminders_refresh(cycle=report.cycle, department_id=report.department_id, user=user)
    return report


def _require_reviewer(user: User | None, report: ProgressReport, expected_version: int | None) -> None:
    _require_office(user, report.cycle.region)
    _require_open(report.cycle)
    version_claim(report, expected_version=expected_version)
    if user is not None and report.submitted_by_id == user.pk:
        raise PermissionDenied("不能审核自己提交的报告。")
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("只有已提交的报告可以审核。")


@transaction.atomic
def report_accept(
    *, report: ProgressReport, user: User | None, comment: str = "", expected_version: int | None = None
) -> ProgressReport:
    """The office accepts a submitted report; `expected_version` as for report_submit."""
    _require_reviewer(user, report, expected_version)
    report.state = ReportState.ACCEPTED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    audited_save(report, user=user, reason="accepted")
    reminders_refresh(cycle=report.cycle, department_id=report.department_id, user=user)
    return report


@transaction.atomic
def report_return(
    *, report: ProgressReport, user: User | None, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """The office returns a submitted report with a comment; the liaison edits and submits again.

    `expected_version` as for report_submit."""
    _require_reviewer(user, report, expected_version)
    if not comment.strip():
        raise ValidationError({"review_comment": "退回时请说明原因。"})
    report.state = ReportState.RETURNED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    audited_save(report, user=user, reason="returned")
    reminders_refresh(cycle=report.cycle, department_id=report.department_id, user=user)
    return report


@transaction.atomic
def attachment_add(*, report: ProgressReport, user: User | None, file: UploadedFile) -> ReportAttachment:
    _require_liaison_of(user, report.department)
    _require_open(report.cycle)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError("已提交的报告不能再添加附件。")
    attachment = ReportAttachment(
        report=report, file=file, name=(file.name or "附件")[:200], uploaded_by=user
    )
    audited_save(attachment, user=user, reason="attachment added")
    return attachment


# ------------------------------------------------------------------------------ 催办
@transaction.atomic
def reminders_queue(
    *, cycle: ReportingCycle, today: dt.date | None = None, user: User | None = None
) -> list[Reminder]:
    """Create or refresh a reminder for each department with missing, late or returned reports of the
    cycle (`selectors.reminder_plan`, what the confirm page shows), and queue an e-mail for each new or
    changed one once the transaction commits. Refused for a closed cycle."""
    from bioplan.tracking.selectors import reminder_plan

    _require_office(user, cycle.region)
    _require_open(cycle)
    _require_running_plan(cycle.region, cycle.year)
    today = today or timezone.localdate()
    reminders: list[Reminder] = []
    for planned in reminder_plan(cycle=cycle, today=today):
        existing = Reminder.objects.filter(
            cycle=cycle, department=planned.department, kind=planned.kind
        ).first()
        if planned.count == 0:
            if existing is not None and not existing.resolved:
                existing.resolved = True
                audited_save(existing, user=user, reason="resolved")
            continue
        if existing is not None and existing.count == planned.count and not existing.resolved:
            reminders.append(existing)
            continue
        reminder = existing or Reminder(cycle=cycle, department=planned.department, kind=planned.kind)
        reminder.count = planned.count
        reminder.message = planned.message
        reminder.resolved = False
        audited_save(reminder, user=user, reason="reminder queued")
        reminders.append(reminder)
        transaction.on_commit(_email_later(reminder.pk))
    return reminders


def reminders_refresh(*, cycle: ReportingCycle, department_id: int, user: User | None) -> None:
    """Bring the department's open reminders of the cycle up to date after one of its reports was
    saved, submitted, returned or accepted, or the deadline moved: a count that fell is lowered (and
    the message with it), a reminder with nothing left is resolved. Creates none and e-mails nobody —
    that stays the office's 生成催办提醒. Runs inside the caller's transaction."""
    from bioplan.tracking.selectors import reminder_plan

    open_reminders = {
        r.kind: r for r in Reminder.objects.filter(cycle=cycle, department_id=department_id, resolved=False)
    }
    if not open_reminders:
        return
    planned = {p.kind: p for p in reminder_plan(cycle=cycle, department_id=department_id)}
    for kind, reminder in open_reminders.items():
        now = planned.get(kind)
        if now is None or now.count == 0:
            reminder.resolved = True
            audited_save(reminder, user=user, reason="resolved")
        elif now.count != reminder.count:
            reminder.count, reminder.message = now.count, now.message
            audited_save(reminder, user=user, reason="reminder updated")


def _email_later(reminder_id: int) -> Callable[[], None]:
    def queue() -> None:
        from bioplan.tracking.tasks import reminder_email

        reminder_email(reminder_id)

    return queue


# ------------------------------------------------------------------------------ consistency
@transaction.atomic
def consistency_record(*, plan: Plan) -> list[Finding]:
    """Run the consistency checks on a stored plan and store the findings (replacing earlier ones).

    Called by plans.services.plan_import for every imported plan; returns the findings."""
    from bioplan.tracking.selectors import plan_facts

    findings = plan_findings(plan_facts(plan=plan))
    ConsistencyFinding.objects.filter(plan=plan).delete()
    ConsistencyFinding.objects.bulk_create(
        ConsistencyFinding(
            plan=plan,
            position=i,
            check_name=f.check,
            verdict=Verdict(f.verdict),
            codes=list(f.codes),
            subject=f.subject[:300],
            arithmetic=f.arithmetic,
        )
        for i, f in enumerate(findings)
    )
    return findings


def consistency_after_import(plan: Plan) -> None:
    """Hook for plans.services.register_after_import."""
    consistency_record(plan=plan)


__all__ = [
    "attachment_add",
    "consistency_after_import",
    "consistency_record",
    "cycle_close",
    "cycle_open",
    "indicator_get_or_create",
    "observation_choose",
    "observation_record",
    "plan_bind_targets",
    "reminders_queue",
    "report_accept",
    "report_return",
    "report_save",
    "report_submit",
    "target_bind",
]


# ------------------------------------------------------------------------------ plan versions
@transaction.atomic
def tracking_carry(
    *, targets: Mapping[Target, Target], tasks: Mapping[Task, Task], user: User | None, reason: str
) -> None:
    """Move tracking from a plan version's targets and tasks to their successors in the next version
    (registered with plans.services.register_version_carrier; docs/tracking.md).

    A target's binding (indicator, scope, expected path, baseline) moves unless the successor is bound
    already. A task's progress reports move with their state (an accepted report stays accepted),
    attachments and history, unless the successor already has a report of the same cycle and
    department. Each moved row is claimed first (`version_claim`), so a form opened on it before the
    move ends in an edit conflict instead of writing to the old version. Figures, cycles and reminders
    do not hang on a plan version (they belong to indicators, regions and departments) and stay."""
    bound = set(
        TargetBinding.objects.filter(target__in=list(targets.values())).values_list("target_id", flat=True)
    )
    for binding in TargetBinding.objects.filter(target__in=list(targets)).select_related("target"):
        successor = targets[binding.target]
        if successor.pk in bound:
            continue
        version_claim(binding, expected_version=None)
        binding.target = successor
        audited_save(binding, user=user, reason=reason)
    by_old = {old.pk: new for old, new in tasks.items()}
    taken = set(
        ProgressReport.objects.filter(task__in=list(tasks.values())).values_list(
            "cycle_id", "task_id", "department_id"
        )
    )
    for report in ProgressReport.objects.filter(task_id__in=by_old).order_by("pk"):
        successor_task = by_old[report.task_id]
        if (report.cycle_id, successor_task.pk, report.department_id) in taken:
            continue
        version_claim(report, expected_version=None)
        report.task = successor_task
        audited_save(report, user=user, reason=reason)
