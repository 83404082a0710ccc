"""Key projects (重点项目) and their landing stages (签约 → 土地出让 → 开工 → 竣工 → 投产 → 达产).

* `Project` — an investment project: investor or enterprise, park, type, investment in 亿元, land in
  亩, floor area in m², expected output at 达产 in 亿元, responsible department and 包保 leader. The
  current stage, the next stage with its planned date, and the 达产 date (actual, else planned)
  are kept on the row by the services so that lists filter by warning without computing per row;
* `ProjectMilestone` — one stage of a project with its planned and actual dates.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.concurrency import VersionedModel
from bioplan.core.models import Department, Region, TimeStampedModel
from bioplan.core.selectors import region_scope_q
from bioplan.enterprises.models import Enterprise, editable_q, scope_q
from bioplan.parks.models import latitude_field, longitude_field
from bioplan.projects.choices import ProjectStage, ProjectType, WarningLevel
from bioplan.projects.stages import DUE_SOON_DAYS, SEVERE_DAYS


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: object) -> ProjectQuerySet:
        return self.filter(scope_q(user))

    def editable_by(self, user: object) -> ProjectQuerySet:
        """Office: its region; park operators: their parks; liaisons: their department's projects."""
        if getattr(user, "role", None) == Role.LIAISON and not getattr(user, "is_superuser", False):
            department_id = getattr(user, "department_id", None)
            return self.filter(responsible_department_id=department_id) if department_id else self.none()
        return self.filter(editable_q(user))

    def with_warning(self, level: str, today: dt.date) -> ProjectQuerySet:
        """Projects whose worst warning today is `level` (same rule as stages.warning_level)."""
        pending = self.exclude(next_stage="")
        if level == WarningLevel.SEVERE:
            return pending.filter(next_planned_on__lt=today - dt.timedelta(days=SEVERE_DAYS))
        if level == WarningLevel.OVERDUE:
            return pending.filter(
                next_planned_on__lt=today, next_planned_on__gte=today - dt.timedelta(days=SEVERE_DAYS)
            )
        if level == WarningLevel.NO_PLAN:
            return pending.filter(next_planned_on__isnull=True)
        if level == WarningLevel.DUE_SOON:
            return pending.filter(
                next_planned_on__gte=today, next_planned_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
            )
        return self.filter(Q(next_stage="") | Q(next_planned_on__gt=today + dt.timedelta(days=DUE_SOON_DAYS)))

    def in_scope(self, region: Region) -> ProjectQuerySet:
        return self.filter(region_scope_q(region))


class Project(VersionedModel, TimeStampedModel):
    """A key investment project (重点项目) the district tracks until it reaches full output (达产)."""

    name = models.CharField(_("name"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    investor_name = models.CharField(_("investor"), max_length=200)
    district = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="projects"
    )
    park = models.ForeignKey(
        Region,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="park_projects",
        limit_choices_to={"level": RegionLevel.PARK},
    )
    project_type = models.CharField(_("type"), max_length=12, choices=ProjectType.choices)
    total_investment = models.DecimalField(_("total investment"), max_digits=14, decimal_places=4)
    investment_unit = models.CharField(_("investment unit"), max_length=8, default="亿元")
    land_mu = models.DecimalField(_("land (亩)"), max_digits=12, decimal_places=2, null=True, blank=True)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_output = models.DecimalField(
        _("expected output at full production"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    output_unit = models.CharField(_("output unit"), max_length=8, default="亿元")
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    leader_name = models.CharField(_("包保 leader"), max_length=50, blank=True)
    stage = models.CharField(_("stage reached"), max_length=12, choices=ProjectStage.choices, blank=True)
    next_stage = models.CharField(_("next stage"), max_length=12, choices=ProjectStage.choices, blank=True)
    next_planned_on = models.DateField(_("next stage planned on"), null=True, blank=True)
    full_output_on = models.DateField(
        _("full output on"), null=True, blank=True, help_text=_("actual, else planned")
    )
    latitude = latitude_field()
    longitude = longitude_field()
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-total_investment", "name"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        indexes = [
            models.Index(fields=["district", "next_planned_on"], name="project_district_due"),
            models.Index(fields=["district", "stage"], name="project_district_stage"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="project_unique_name"),
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="project_investment_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.park is not None and self.park.level != RegionLevel.PARK:
            raise ValidationError({"park": _("Choose a park-level region.")})
        if self.park is not None and self.district_id and self.park.parent_id != self.district_id:
            raise ValidationError({"park": _("The park is not in the project's district.")})


class ProjectMilestone(TimeStampedModel):
    """One landing stage of a project with its planned and actual dates (计划/实际节点)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("stage"), max_length=12, choices=ProjectStage.choices)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    actual_on = models.DateField(_("actual date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "planned_on"]
        verbose_name = _("project stage")
        verbose_name_plural = _("project stages")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="project_stage_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"
