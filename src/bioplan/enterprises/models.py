"""The enterprise registry the plan acts on (企业库).

* `Enterprise` — a company with its 统一社会信用代码, district and park, segment, 规上 flag;
* `Honour` — a recognition (高新技术企业, 专精特新, 上市 …) with its validity dates and certificate;
* `EnterpriseFigure` — yearly (quarter 0) or quarterly figures: revenue, output, R&D, tax, staff;
* `Product`, `ProductMilestone` — the drug and device pipeline with the date each phase was reached;
* `CultivationEntry` — an enterprise's place in the cultivation pool (潜力企业培育库);
* `DerivedRule` — binds a plan's target to a rule computing its actual value from the registries;
* `ImportJob` — one spreadsheet import with its progress, shared by every registry's sheets.

Scope: `district` is the 区 (a core.Region of level district) and `park` a core.Region of level
park, the same Region that plans' Park rows and parks.Park point to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core.access import user_region_q
from bioplan.core.choices import RegionLevel, Role
from bioplan.core.concurrency import VersionedModel
from bioplan.core.models import Region, TimeStampedModel
from bioplan.core.selectors import region_scope_q
from bioplan.core.validation import validate_year
from bioplan.enterprises.choices import (
    CultivationTier,
    FigureSource,
    HonourKind,
    HonourLevel,
    ImportState,
    ListingBoard,
    ProductKind,
    ProductPhase,
    RuleKind,
    Segment,
)
from bioplan.enterprises.creditcode import credit_code_problem
from bioplan.plans.models import Target


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


def scope_q(user: object, district_field: str = "district", park_field: str = "park") -> Q:
    """Rows in the user's region: a city user sees its districts, a district user its district,
    a park-level user its park; a park operator only the parks it runs. Superusers see everything;
    researchers (who read published plans only) and users without a region nothing."""
    if getattr(user, "is_superuser", False):
        return Q()
    region = getattr(user, "region", None)
    if not getattr(user, "is_authenticated", False) or region is None:
        return Q(pk__in=[])
    role = getattr(user, "role", None)
    if role == Role.RESEARCHER:
        return Q(pk__in=[])
    if role == Role.PARK_OPERATOR:
        return operated_parks_q(user, park_field)
    if region.level == RegionLevel.CITY:
        return Q(**{f"{district_field}__parent": region}) | Q(**{district_field: region})
    if region.level == RegionLevel.PARK:
        return Q(**{park_field: region})
    return Q(**{district_field: region})


def operated_parks_q(user: object, park_field: str = "park") -> Q:
    """The parks a park operator runs: its own park-level region, or parks whose registry entry
    (parks.Park) names the operator's department."""
    q = Q(pk__in=[])
    region = getattr(user, "region", None)
    if region is not None and region.level == RegionLevel.PARK:
        q |= Q(**{park_field: region})
    department_id = getattr(user, "department_id", None)
    if department_id:
        q |= Q(**{f"{park_field}__park_profile__operator_department_id": department_id})
    return q


def editable_q(user: object, district_field: str = "district", park_field: str = "park") -> Q:
    """Office admins edit their region's rows, park operators their parks' rows; others nothing."""
    if getattr(user, "is_superuser", False):
        return Q()
    role = getattr(user, "role", None)
    if role == Role.OFFICE_ADMIN:
        return scope_q(user, district_field, park_field)
    if role == Role.PARK_OPERATOR:
        return operated_parks_q(user, park_field)
    return Q(pk__in=[])


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def visible_to(self, user: object) -> EnterpriseQuerySet:
        return self.filter(scope_q(user))

    def editable_by(self, user: object) -> EnterpriseQuerySet:
        return self.filter(editable_q(user))

    def in_scope(self, region: Region) -> EnterpriseQuerySet:
        """Enterprises of a region: a district's, a park's, or a city's districts."""
        return self.filter(region_scope_q(region))


class Enterprise(VersionedModel, TimeStampedModel):
    """A company of the biomedicine industry registered in the district (企业)."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    district = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="enterprises"
    )
    park = models.ForeignKey(
        Region,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="park_enterprises",
        limit_choices_to={"level": RegionLevel.PARK},
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    segment = models.CharField(_("main segment"), max_length=16, choices=Segment.choices, db_index=True)
    other_segments = models.JSONField(_("other segments"), default=list, blank=True)
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False, db_index=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False, help_text=_("模拟数据: demo rows"))

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["district", "name", "id"], name="enterprise_district_name_id"),
            models.Index(fields=["park", "name"], name="enterprise_park_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.park is not None and self.park.level != RegionLevel.PARK:
            raise ValidationError({"park": _("Choose a park-level region.")})
        if self.park is not None and self.district_id and self.park.parent_id != self.district_id:
            raise ValidationError({"park": _("The park is not in the enterprise's district.")})
        bad = [s for s in self.other_segments if s not in Segment.values]
        if bad:
            raise ValidationError({"other_segments": _("Unknown segments: %s") % ", ".join(bad)})


class HonourQuerySet(models.QuerySet["Honour"]):
    def held_on(self, day: object) -> HonourQuerySet:
        """Honours valid on `day` (from ≤ day ≤ until, an open end meaning still valid)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Honour(TimeStampedModel):
    """A recognition an enterprise holds (资质/荣誉: 高新技术企业, 专精特新, 上市 …) for a period.

    For 上市 the board and stock code are required and `valid_from` is the listing date."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=HonourLevel.choices, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    board = models.CharField(_("listing board"), max_length=10, choices=ListingBoard.choices, blank=True)
    stock_code = models.CharField(_("stock code"), max_length=12, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = HonourQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "kind", "-valid_from"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        # Covering: "held on a day" filters and counts read the index only.
        indexes = [
            models.Index(fields=["kind", "valid_from", "valid_until", "enterprise"], name="honour_held_cover")
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "valid_from"], name="honour_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="honour_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(kind=HonourKind.LISTED) | ~Q(board=""), name="honour_listed_has_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.valid_from:%Y-%m-%d}"


class EnterpriseFigure(TimeStampedModel):
    """An enterprise's figures for a year (quarter 0) or a quarter (1–4, cumulative year to date):
    营业收入, 工业总产值, 研发投入, 税收 in `money_unit` (万元), 从业人员 in persons."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, validators=[MaxValueValidator(4)])
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2, null=True, blank=True)
    industrial_output = models.DecimalField(
        _("gross industrial output"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_expense = models.DecimalField(_("R&D expense"), max_digits=16, decimal_places=2, null=True, blank=True)
    tax = models.DecimalField(_("tax paid"), max_digits=16, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    money_unit = models.CharField(_("money unit"), max_length=8, default="万元")
    source = models.CharField(_("source"), max_length=12, choices=FigureSource.choices)
    simulated = models.BooleanField(_("simulated"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "year", "quarter"]
        verbose_name = _("enterprise figure")
        verbose_name_plural = _("enterprise figures")
        indexes = [models.Index(fields=["year", "quarter"], name="figure_period")]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "quarter"], name="figure_unique_period"),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="figure_quarter_range"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}Q{self.quarter}" if self.quarter else f"{self.year}"
        return f"{self.enterprise} {period}"


class Product(TimeStampedModel):
    """A drug or device of an enterprise's pipeline (在研/上市产品), at its current phase."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=ProductKind.choices)
    category = models.CharField(_("category"), max_length=60, blank=True, help_text=_("e.g. 1类创新药"))
    indication = models.CharField(_("indication"), max_length=200, blank=True)
    phase = models.CharField(_("current phase"), max_length=20, choices=ProductPhase.choices)
    registration_no = models.CharField(_("registration number"), max_length=60, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="product_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_phase_display()}）"


class ProductMilestone(TimeStampedModel):
    """The date a product reached a phase of its pipeline (IND获批 on 2022-03-01 …)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="milestones")
    phase = models.CharField(_("phase"), max_length=20, choices=ProductPhase.choices)
    reached_on = models.DateField(_("reached on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "reached_on"]
        verbose_name = _("product milestone")
        verbose_name_plural = _("product milestones")
        indexes = [models.Index(fields=["phase", "reached_on"], name="milestone_phase_date")]
        constraints = [models.UniqueConstraint(fields=["product", "phase"], name="milestone_unique_phase")]

    def __str__(self) -> str:
        return f"{self.product.name} {self.get_phase_display()} {self.reached_on}"


class CultivationEntry(TimeStampedModel):
    """An enterprise in the cultivation pool (潜力企业培育库) at a tier, since a date."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, related_name="cultivation")
    tier = models.CharField(_("tier"), max_length=16, choices=CultivationTier.choices)
    entered_on = models.DateField(_("entered on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tier", "enterprise__name"]
        verbose_name = _("cultivation entry")
        verbose_name_plural = _("cultivation entries")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_tier_display()}"


class DerivedRule(TimeStampedModel):
    """Binds a target to a rule computing its actual value per period from the registries
    (派生指标), e.g. "enterprises holding 高新技术企业 at period end in 青浦区"."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="derived_rule")
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="derived_rules"
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=20)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target"]
        verbose_name = _("derived rule")
        verbose_name_plural = _("derived rules")

    def __str__(self) -> str:
        return f"{self.target} ← {self.get_kind_display()} @ {self.region}"

    def clean(self) -> None:
        from bioplan.enterprises.derived import rule_parameter_problems

        problems = rule_parameter_problems(self.kind, self.parameters)
        if problems:
            raise ValidationError({"parameters": problems})


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: object) -> ImportJobQuerySet:
        """Whoever started the import, and the office admins of its district."""
        if getattr(user, "is_superuser", False):
            return self
        mine = Q(created_by_id=getattr(user, "pk", None))
        if getattr(user, "role", None) == Role.OFFICE_ADMIN:
            mine |= user_region_q(user, "region")
        return self.filter(mine)


class ImportJob(TimeStampedModel):
    """One spreadsheet import (Excel 导入) and its progress, polled by the page while it runs."""

    sheet_kind = models.CharField(_("sheet"), max_length=30)
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    file_name = models.CharField(_("file name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=8, choices=ImportState.choices, default=ImportState.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker every few seconds while it runs the job; a running job whose heartbeat
    # is older than BIOPLAN_JOB_STALE_SECONDS has lost its worker (import_jobs_reap).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
