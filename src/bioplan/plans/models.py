"""Action plans (行动方案) and what they contain: sections, targets, tasks, assignments, parks.

A plan is imported from a contract-format PlanDraft (bioplan.ingest.draft). Importing the same plan
again (same region, industry and title) creates a new version; the old one stays, with `is_current`
off, so the plan page can show what changed between versions.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core import access
from bioplan.core.choices import Role
from bioplan.core.concurrency import VersionedModel
from bioplan.core.models import Department, Region, TimeStampedModel
from bioplan.core.validation import validate_year
from bioplan.plans.choices import (
    AssignmentRole,
    Comparator,
    ImportDraftState,
    PlanStatus,
    TargetKind,
    TargetLevel,
)


class PlanQuerySet(models.QuerySet["Plan"]):
    def current(self) -> PlanQuerySet:
        return self.filter(is_current=True)

    def with_counts(self) -> PlanQuerySet:
        return self.annotate(
            target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True)
        )

    def running(self, today: dt.date | None = None) -> PlanQuerySet:
        """Plans not past their end year on `today` (default: timezone.localdate()); no end year: running."""
        year = (today or timezone.localdate()).year
        return self.filter(Q(period_end__isnull=True) | Q(period_end__gte=year))

    def ended(self, today: dt.date | None = None) -> PlanQuerySet:
        """Plans past their end year (已到期) on `today`."""
        return self.filter(period_end__lt=(today or timezone.localdate()).year)

    def published(self) -> PlanQuerySet:
        return self.filter(status__in=[PlanStatus.ISSUED, PlanStatus.PAPER])

    def visible_to(self, user: object) -> PlanQuerySet:
        """Researchers read published plans (印发 and papers) of any region; everyone else the plans of
        their own region (see bioplan.core.access)."""
        if access.is_unrestricted(user):
            return self
        if not access.is_signed_in(user):
            return self.none()
        if access.is_researcher(user):
            return self.published()
        return self.filter(access.user_region_q(user, "region"))

    def editable_by(self, user: object) -> PlanQuerySet:
        """Only the office admins of the plan's region import, bind and re-plan it."""
        if access.is_unrestricted(user):
            return self
        if access.role_of(user) != Role.OFFICE_ADMIN:
            return self.none()
        return self.filter(access.user_region_q(user, "region"))


class Plan(TimeStampedModel):
    """One version of an action plan (行动方案/行动计划) of a region for an industry."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="plans"
    )
    industry = models.CharField(_("industry"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(
        _("period start"), null=True, blank=True, validators=[validate_year]
    )
    period_end = models.PositiveSmallIntegerField(
        _("period end"), null=True, blank=True, validators=[validate_year]
    )
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, blank=True)
    doc_number = models.CharField(_("document number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    lineage = models.CharField(
        _("lineage key"),
        max_length=300,
        editable=False,
        help_text=_("region|industry|title; versions share it"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False, blank=True)
    imported_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="imported_plans"
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("preceding plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followers",
        help_text=_(
            "The plan of the previous period this one follows on from (接续), e.g. 2021—2023 for 2024—2026."
        ),
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "-period_start", "title", "-version"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["lineage"], condition=Q(is_current=True), name="plan_one_current_version"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="plan_period_ordered",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="plan_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_ended(self) -> bool:
        """已到期: past its end year today (computed, never stored: a plan ends by the calendar)."""
        return self.period_end is not None and self.period_end < timezone.localdate().year

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}—{self.period_end}"
        return str(self.period_end or self.period_start or "")


class Section(TimeStampedModel):
    """A heading of the plan (一、总体目标；（一）聚焦重点…), forming a tree."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "parent", "title"], name="section_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class TargetQuerySet(models.QuerySet["Target"]):
    def for_plan(self, plan: Plan) -> TargetQuerySet:
        return self.filter(plan=plan)

    def due_by(self, year: int) -> TargetQuerySet:
        return self.filter(year__lte=year)


class Target(TimeStampedModel):
    """A quantitative goal of the plan (目标): one number, e.g. 规上工业总产值 > 160亿元 (确保) in 2023."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=20, help_text=_("T01, T02… as in the source draft"))
    position = models.PositiveIntegerField(_("position"), default=0)
    metric = models.CharField(_("metric"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    value_max = models.DecimalField(_("upper value"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    comparator = models.CharField(_("comparator"), max_length=8, choices=Comparator.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, validators=[validate_year])
    level = models.CharField(_("level"), max_length=8, choices=TargetLevel.choices, blank=True)
    scope = models.CharField(_("scope"), max_length=100, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[validate_year]
    )
    quote = models.CharField(_("quote"), max_length=200, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor in the next version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("The same target in the plan's next version, which took over its tracking."),
    )

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_in_plan"),
            models.CheckConstraint(
                condition=~Q(comparator="range") | Q(value_max__isnull=False), name="target_range_has_max"
            ),
            models.CheckConstraint(
                condition=Q(value_max__isnull=True) | Q(value_max__gte=models.F("value")),
                name="target_max_not_below_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.comparator} {self.value.normalize():f}{self.unit}"


class TaskQuerySet(models.QuerySet["Task"]):
    def for_department(self, department: Department) -> TaskQuerySet:
        return self.filter(assignments__department=department).distinct()


class Task(TimeStampedModel):
    """A numbered key task (重点任务) of the plan, such as 1．着力发展三大领域."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    number = models.CharField(_("number"), max_length=10)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor in the next version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("The same task in the plan's next version, which took over its reports."),
    )

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_in_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskNodeQuerySet(models.QuerySet["TaskNode"]):
    def visible_to(self, user: object) -> TaskNodeQuerySet:
        """The nodes of the tasks of the plans the user reads."""
        return self.filter(task__plan__in=Plan.objects.visible_to(user))

    def editable_by(self, user: object) -> TaskNodeQuerySet:
        """The office of the plan's district enters and updates them."""
        return self.filter(task__plan__in=Plan.objects.editable_by(user))


class TaskNode(TimeStampedModel):
    """A milestone of a task (任务节点): what is due, by when, when it was done and the evidence
    (佐证材料), from the plan's 完成时限, the 任务分工表 or entered by the office."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="nodes")
    title = models.CharField(_("what is due"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_date = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, blank=True, help_text=_("plan text, task sheet or the office")
    )

    objects = TaskNodeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "due_date", "pk"]
        verbose_name = _("task node")
        verbose_name_plural = _("task nodes")
        constraints = [
            models.UniqueConstraint(fields=["task", "title", "due_date"], name="task_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} {self.title}（{self.due_date:%Y-%m-%d}）"


class Assignment(TimeStampedModel):
    """A department's responsibility for a task (责任分工): lead (牵头) or co-operating (配合)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    name_as_written = models.CharField(_("name as written"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="assignment_unique_department")
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.department} ({self.get_role_display()})"


class Park(TimeStampedModel):
    """A park, base or zone of the plan's spatial layout (空间布局, e.g. the "3+6+X" of a district)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="parks")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_parks"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    park_type = models.CharField(_("type"), max_length=30, blank=True)
    layout_group = models.CharField(_("layout group"), max_length=10, blank=True)
    focus = models.JSONField(_("focus fields"), default=list, blank=True)
    new_land_mu = models.DecimalField(
        _("new land (mu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    stated_areas = models.JSONField(_("other stated areas"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="park_unique_name_in_plan")]

    def __str__(self) -> str:
        return self.name


class ImportDraftQuerySet(models.QuerySet["ImportDraft"]):
    def visible_to(self, user: object) -> ImportDraftQuerySet:
        """Only the office admins of the uploading office's region (and the regions above it) see a
        draft: it is the office's work in progress, not yet a plan anyone else reads."""
        if access.is_unrestricted(user):
            return self
        if access.role_of(user) != Role.OFFICE_ADMIN:
            return self.none()
        return self.filter(access.user_region_q(user, "office_region"))

    def pending(self) -> ImportDraftQuerySet:
        return self.filter(state=ImportDraftState.PENDING)


class ImportDraft(VersionedModel, TimeStampedModel):
    """An uploaded plan awaiting the office's review (导入草稿): what the extractor read from the
    document (a PlanDraft in the contract JSON of ../shared/eval/GOLD_GUIDE.md) and the document's
    text, corrected by the office and then published as a plan (or a new version of one)."""

    office_region = models.ForeignKey(
        Region,
        verbose_name=_("office region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_drafts_uploaded",
        help_text=_("the region of the office that uploaded it; its office admins review it"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_drafts",
        help_text=_("the district the plan belongs to, chosen by the office when the document names none"),
    )
    source_file = models.CharField(_("source file"), max_length=255)
    source_text = models.TextField(_("source text"), blank=True)
    content = models.JSONField(_("extracted plan"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportDraftState.choices, default=ImportDraftState.PENDING
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )
    decided_by = models.ForeignKey(
        "core.User",
        verbose_name=_("published or discarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("published or discarded at"), null=True, blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("published plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )

    objects = ImportDraftQuerySet.as_manager()
    # The document's text never changes after the upload: kept once, not in every history row.
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan import draft")
        verbose_name_plural = _("plan import drafts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(decided_at__isnull=False),
                name="import_draft_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        title = (self.content.get("plan") or {}).get("title") if isinstance(self.content, dict) else None
        return str(title or self.source_file)
