"""What the office tracks while a plan runs: measured figures and the departments' quarterly reports.

* `Indicator` — a measured quantity (指标) such as 规上工业总产值 in 亿元, and how it aggregates;
* `Observation` — one figure of an indicator for a scope (region or park) and period, from one
  source; corrections are new revisions, conflicting sources are all kept and the office chooses;
* `TargetBinding` — links a plan's target to the indicator and scope that measure it;
* `ReportingCycle`, `ProgressReport`, `ReportAttachment`, `Reminder` — the quarterly 报送 workflow
  and its 催办 list;
* `ConsistencyFinding` — the stored result of the consistency checks run when a plan is imported.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core import access
from bioplan.core.choices import Role
from bioplan.core.concurrency import VersionedModel
from bioplan.core.models import Department, Region, TimeStampedModel
from bioplan.core.validation import validate_year
from bioplan.plans.models import Plan, Target, Task
from bioplan.tracking.choices import (
    Aggregation,
    CycleState,
    PathKind,
    Progress,
    ReminderKind,
    ReportState,
    Source,
    Verdict,
)


def _region_q(user: object, field: str) -> Q:
    """Rows whose `field` region is in the user's region (see bioplan.core.access)."""
    return access.user_region_q(user, field)


def _reports_q(user: object, field: str = "department_id") -> Q:
    """Liaisons and park operators reach their own department's reports and reminders; the office and
    leaders every department's; researchers none (they read published plans only)."""
    if access.is_unrestricted(user):
        return Q()
    if access.is_researcher(user):
        return access.NOTHING
    if access.role_of(user) in (Role.LIAISON, Role.PARK_OPERATOR):
        department_id = getattr(user, "department_id", None)
        return Q(**{field: department_id}) if department_id else access.NOTHING
    return Q()


class Indicator(TimeStampedModel):
    """A measured quantity (统计指标), e.g. 生物医药规上工业总产值 in 亿元, summed over quarters."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    aggregation = models.CharField(
        _("aggregation"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "unit"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="indicator_unique_name_unit")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class ObservationQuerySet(models.QuerySet["Observation"]):
    def current_revisions(self) -> ObservationQuerySet:
        """The current revision of each (indicator, scope, period, source)."""
        return self.filter(is_latest=True)

    def visible_to(self, user: object) -> ObservationQuerySet:
        """The figures of the user's region; researchers none."""
        if access.is_researcher(user):
            return self.none()
        return self.filter(_region_q(user, "region"))

    def editable_by(self, user: object) -> ObservationQuerySet:
        """Office admins edit their region's figures; liaisons only those their department reported."""
        if access.is_unrestricted(user):
            return self
        role = access.role_of(user)
        if role == Role.OFFICE_ADMIN:
            return self.filter(_region_q(user, "region"))
        if role in (Role.LIAISON, Role.PARK_OPERATOR) and getattr(user, "department_id", None):
            return self.filter(_region_q(user, "region"), department_id=user.department_id)  # type: ignore[attr-defined]
        return self.none()


class Observation(TimeStampedModel):
    """One figure (观测值) of an indicator for a scope and a period, from one source.

    quarter 0 and month 0 mean a yearly figure. A correction is a new row with revision + 1 and the
    previous one keeps `is_latest` off, so the history stays visible. Several sources may report the
    same figure; when they disagree the office sets `is_chosen` on the one that counts.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    region = models.ForeignKey(
        Region,
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        related_name="observations",
        help_text=_("The district, town or park the figure is for."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, validators=[MaxValueValidator(4)])
    month = models.PositiveSmallIntegerField(_("month"), default=0, validators=[MaxValueValidator(12)])
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        verbose_name=_("reported by department"),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_latest = models.BooleanField(_("latest revision"), default=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    is_chosen = models.BooleanField(_("chosen by the office"), default=False)
    simulated = models.BooleanField(_("simulated"), default=False, help_text=_("模拟数据: demo figures"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "region", "year", "quarter", "month", "source", "revision"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [models.Index(fields=["indicator", "region", "year"], name="observation_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "quarter", "month", "source", "revision"],
                name="observation_unique_revision",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "quarter", "month", "source"],
                condition=Q(is_latest=True),
                name="observation_one_latest_per_source",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "quarter", "month"],
                condition=Q(is_chosen=True),
                name="observation_one_chosen_per_period",
            ),
            models.CheckConstraint(condition=Q(quarter=0) | Q(month=0), name="observation_quarter_or_month"),
            models.CheckConstraint(
                condition=Q(quarter__lte=4) & Q(month__lte=12), name="observation_period_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.region} {self.period_label} = {self.value.normalize():f}"

    @property
    def period_label(self) -> str:
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}Q{self.quarter}"
        return f"{self.year}年"


class TargetBinding(VersionedModel, TimeStampedModel):
    """Which indicator and scope measure a target, and how its expected path (序时进度) is drawn."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="binding")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="bindings")
    region = models.ForeignKey(
        Region, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="bindings"
    )
    path = models.CharField(
        _("expected path"), max_length=8, choices=PathKind.choices, blank=True, default=""
    )
    custom_path = models.JSONField(
        _("custom expected values"),
        default=dict,
        blank=True,
        help_text=_('Period → value, e.g. {"2021": 100, "2022Q2": 120}; used when the path is custom.'),
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Overrides the plan's baseline and the observed figure of the baseline year."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[validate_year]
    )

    history = HistoricalRecords()
    conflict_labels = {
        "indicator": _("指标"),
        "region": _("范围"),
        "path": _("序时进度"),
        "custom_path": _("自定义序时值"),
        "baseline_value": _("基数"),
        "baseline_year": _("基期"),
    }

    class Meta:
        ordering = ["target"]
        verbose_name = _("target binding")
        verbose_name_plural = _("target bindings")

    def __str__(self) -> str:
        return f"{self.target} ← {self.indicator} @ {self.region}"


class ReportingCycleQuerySet(models.QuerySet["ReportingCycle"]):
    def visible_to(self, user: object) -> ReportingCycleQuerySet:
        """The cycles of the user's region; researchers none."""
        if access.is_researcher(user):
            return self.none()
        return self.filter(_region_q(user, "region"))

    def open(self) -> ReportingCycleQuerySet:
        return self.filter(state=CycleState.OPEN)


class ReportingCycle(TimeStampedModel):
    """A quarter the office opens for progress reports (季度报送), with its deadline."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reporting_cycles")
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=CycleState.choices, default=CycleState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opened_cycles",
    )
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = ReportingCycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-year", "-quarter"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="cycle_unique_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="cycle_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def period_end(self) -> dt.date:
        month = self.quarter * 3
        return dt.date(self.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def visible_to(self, user: object) -> ProgressReportQuerySet:
        """Liaisons see their department's reports; the office and leaders their region's; researchers none."""
        return self.filter(_region_q(user, "cycle__region"), _reports_q(user))

    def editable_by(self, user: object) -> ProgressReportQuerySet:
        """Only the liaison of the reporting department edits a report, and only before acceptance."""
        department_id = getattr(user, "department_id", None)
        if access.role_of(user) not in (Role.LIAISON, Role.PARK_OPERATOR) or not department_id:
            return self.none()
        return self.filter(
            _region_q(user, "cycle__region"),
            department_id=department_id,
            state__in=[ReportState.DRAFT, ReportState.RETURNED],
        )


class ProgressReport(VersionedModel, TimeStampedModel):
    """A department's quarterly progress report on one task (任务进展报送)."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="progress_reports")
    progress = models.CharField(
        _("progress"), max_length=12, choices=Progress.choices, default=Progress.IN_PROGRESS
    )
    percent_done = models.PositiveSmallIntegerField(
        _("percent done"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    done_text = models.TextField(_("what was done"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    problems = models.TextField(_("problems needing coordination"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_reports",
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()
    # What an edit-conflict message calls the fields another user changed (the form's labels).
    conflict_labels = {
        "progress": _("进展状态"),
        "percent_done": _("完成比例（%）"),
        "done_text": _("本季度完成情况"),
        "next_steps": _("下一步计划"),
        "problems": _("需协调解决的问题"),
        "state": _("状态"),
        "submitted_at": _("状态"),
        "submitted_by": _("状态"),
        "reviewed_at": _("状态"),
        "reviewed_by": _("状态"),
        "review_comment": _("审核意见"),
    }

    class Meta:
        ordering = ["cycle", "task__position", "department__name"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "task", "department"], name="report_unique_per_task_department"
            ),
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="report_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle.code} {self.task.number} {self.department}"

    @property
    def is_late(self) -> bool:
        if self.submitted_at is None:
            return False
        return self.submitted_at.date() > self.cycle.deadline


class ReportAttachment(TimeStampedModel):
    """A file attached to a progress report (附件)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="progress/%Y/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def visible_to(self, user: object) -> ReminderQuerySet:
        """As progress reports: liaisons their department's, the office and leaders their region's."""
        return self.filter(_region_q(user, "cycle__region"), _reports_q(user))


class Reminder(TimeStampedModel):
    """A 催办 notice to a department about missing or late reports of a cycle."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    count = models.PositiveIntegerField(_("reports concerned"), default=0)
    message = models.TextField(_("message"))
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    objects = ReminderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "department", "kind"], name="reminder_unique_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_kind_display()} {self.cycle.code}"


class ConsistencyFinding(TimeStampedModel):
    """One result of the consistency checks of a plan (一致性校核), stored when the plan is imported."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="consistency_findings")
    position = models.PositiveIntegerField(_("position"), default=0)
    check_name = models.CharField(_("check"), max_length=20)
    verdict = models.CharField(_("verdict"), max_length=4, choices=Verdict.choices)
    codes = models.JSONField(_("targets"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    arithmetic = models.TextField(_("arithmetic"))

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("consistency finding")
        verbose_name_plural = _("consistency findings")

    def __str__(self) -> str:
        return f"[{self.verdict}] {self.subject}"
