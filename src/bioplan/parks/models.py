"""The park registry (园区载体库): parks, their land and floor space, and the space enterprises and
projects ask for.

* `Park` — a park of the district (a core.Region of level park, the same Region the plans' Park
  rows point to) with its type, layout group, focus fields, area and operator;
* `LandParcel` — land (亩) a park can supply, with the date it was supplied (出让);
* `Building`, `FloorSpace` — buildings and their floors/units in m², typed 标准厂房/GMP厂房/…,
  with the date they are available from, the rent and the conditions they offer;
* `SpaceDemand` — space an enterprise or a project needs: type, area, timing, conditions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bioplan.core import access
from bioplan.core.choices import RegionLevel
from bioplan.core.models import Department, Region, TimeStampedModel
from bioplan.enterprises.models import editable_q, scope_q
from bioplan.parks.choices import (
    DemandStatus,
    Facility,
    LandUse,
    ParcelStatus,
    ParkType,
    SpaceStatus,
    SpaceType,
)


def _check_facilities(values: object) -> list[str]:
    if not isinstance(values, list):
        return ["应为列表"]
    return [str(v) for v in values if v not in Facility.values]


def latitude_field() -> models.DecimalField:  # type: ignore[type-arg]
    """Where a park or project is on the office's map: degrees, in the coordinate system of the map
    file the office loaded (挂图作战); empty: shown only on the schematic."""
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees, e.g. 31.150000; in the coordinate system of the office's map file."),
    )


def longitude_field() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees, e.g. 121.120000."),
    )


class ParkQuerySet(models.QuerySet["Park"]):
    def visible_to(self, user: object) -> ParkQuerySet:
        return self.filter(scope_q(user, "district", "region"))

    def editable_by(self, user: object) -> ParkQuerySet:
        return self.filter(editable_q(user, "district", "region"))


class Park(TimeStampedModel):
    """A park, base or zone of the district (园区) as the registry knows it."""

    region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        related_name="park_profile",
        limit_choices_to={"level": RegionLevel.PARK},
    )
    district = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="district_parks"
    )
    name = models.CharField(_("name"), max_length=100)
    park_type = models.CharField(_("type"), max_length=10, choices=ParkType.choices, default=ParkType.AREA)
    layout_group = models.CharField(_("layout group"), max_length=20, blank=True)
    focus = models.JSONField(_("focus fields"), default=list, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=3, null=True, blank=True)
    planned_land_mu = models.DecimalField(
        _("planned new land (亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    operator_department = models.ForeignKey(
        Department,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_parks",
    )
    map_x = models.DecimalField(_("schematic x"), max_digits=5, decimal_places=1, null=True, blank=True)
    map_y = models.DecimalField(_("schematic y"), max_digits=5, decimal_places=1, null=True, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = ParkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("registered park")
        verbose_name_plural = _("registered parks")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="parks_park_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.region_id and self.region.level != RegionLevel.PARK:
            raise ValidationError({"region": _("Choose a park-level region.")})
        if self.region_id and self.district_id and self.region.parent_id != self.district_id:
            raise ValidationError({"region": _("The park is not in this district.")})


class LandParcelQuerySet(models.QuerySet["LandParcel"]):
    def visible_to(self, user: object) -> LandParcelQuerySet:
        return self.filter(scope_q(user, "park__district", "park__region"))

    def editable_by(self, user: object) -> LandParcelQuerySet:
        return self.filter(editable_q(user, "park__district", "park__region"))


class LandParcel(TimeStampedModel):
    """A land parcel (地块) a park can supply for industry, in 亩."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="parcels")
    code = models.CharField(_("parcel code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    area_mu = models.DecimalField(_("area (亩)"), max_digits=12, decimal_places=2)
    land_use = models.CharField(
        _("land use"), max_length=12, choices=LandUse.choices, default=LandUse.INDUSTRIAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ParcelStatus.choices, default=ParcelStatus.AVAILABLE
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    supplied_on = models.DateField(_("supplied on"), null=True, blank=True)
    supplied_to = models.CharField(_("supplied to"), max_length=200, blank=True)
    facilities = models.JSONField(_("conditions"), default=list, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = LandParcelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["park", "code"]
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        indexes = [models.Index(fields=["supplied_on"], name="parcel_supplied_on")]
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="parcel_unique_code"),
            models.CheckConstraint(condition=Q(area_mu__gt=0), name="parcel_area_positive"),
            models.CheckConstraint(
                condition=~Q(status=ParcelStatus.SUPPLIED) | Q(supplied_on__isnull=False),
                name="parcel_supplied_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.code}"

    def clean(self) -> None:
        bad = _check_facilities(self.facilities)
        if bad:
            raise ValidationError({"facilities": _("Unknown conditions: %s") % ", ".join(bad)})
        if self.status == ParcelStatus.SUPPLIED and self.supplied_on is None:
            raise ValidationError({"supplied_on": _("A supplied parcel needs its supply date.")})


class Building(TimeStampedModel):
    """A building of a park (楼宇/厂房) whose floors are let."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    simulated = models.BooleanField(_("simulated"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["park", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return f"{self.park} {self.name}"


class FloorSpaceQuerySet(models.QuerySet["FloorSpace"]):
    def visible_to(self, user: object) -> FloorSpaceQuerySet:
        return self.filter(scope_q(user, "building__park__district", "building__park__region"))

    def editable_by(self, user: object) -> FloorSpaceQuerySet:
        return self.filter(editable_q(user, "building__park__district", "building__park__region"))


class FloorSpace(TimeStampedModel):
    """A floor or unit of a building (楼层/单元) in m², its type, availability, rent and conditions."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="spaces")
    floor = models.CharField(_("floor or unit"), max_length=20)
    space_type = models.CharField(_("type"), max_length=16, choices=SpaceType.choices)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    rent = models.DecimalField(_("rent (元/m²·day)"), max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SpaceStatus.choices, default=SpaceStatus.VACANT
    )
    tenant_name = models.CharField(_("tenant"), max_length=200, blank=True)
    facilities = models.JSONField(_("conditions"), default=list, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = FloorSpaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["building", "floor"]
        verbose_name = _("floor space")
        verbose_name_plural = _("floor spaces")
        constraints = [
            models.UniqueConstraint(fields=["building", "floor"], name="space_unique_floor"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="space_area_positive"),
            models.CheckConstraint(condition=~Q(space_type="land"), name="space_not_land"),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.floor}"

    @property
    def facility_labels(self) -> str:
        return "、".join(str(Facility(v).label) for v in self.facilities if v in Facility.values)

    def clean(self) -> None:
        bad = _check_facilities(self.facilities)
        if bad:
            raise ValidationError({"facilities": _("Unknown conditions: %s") % ", ".join(bad)})
        if self.space_type == SpaceType.LAND:
            raise ValidationError({"space_type": _("Land is registered as a parcel.")})


class SpaceDemandQuerySet(models.QuerySet["SpaceDemand"]):
    def visible_to(self, user: object) -> SpaceDemandQuerySet:
        return self.filter(scope_q(user, "district", "preferred_park__region"))

    def editable_by(self, user: object) -> SpaceDemandQuerySet:
        return self.filter(editable_q(user, "district", "preferred_park__region"))


class SpaceDemand(TimeStampedModel):
    """Space an enterprise or a project asks for (空间需求): type, area (m², or 亩 for land), when,
    and conditions such as 危化品仓库, 实验动物房, P2实验室, 环保排污."""

    requester_name = models.CharField(_("requested by"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="space_demands",
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="space_demands"
    )
    district = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="space_demands"
    )
    preferred_park = models.ForeignKey(
        Park,
        verbose_name=_("preferred park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    space_type = models.CharField(_("type"), max_length=16, choices=SpaceType.choices)
    area_min = models.DecimalField(_("area at least"), max_digits=12, decimal_places=2)
    area_max = models.DecimalField(_("area at most"), max_digits=12, decimal_places=2, null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    needs = models.JSONField(_("conditions needed"), default=list, blank=True)
    max_rent = models.DecimalField(
        _("rent at most (元/m²·day)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    simulated = models.BooleanField(_("simulated"), default=False)

    objects = SpaceDemandQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("space demand")
        verbose_name_plural = _("space demands")
        constraints = [
            models.CheckConstraint(condition=Q(area_min__gt=0), name="demand_area_positive"),
            models.CheckConstraint(
                condition=Q(area_max__isnull=True) | Q(area_max__gte=models.F("area_min")),
                name="demand_area_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_name} {self.get_space_type_display()} {self.area_min}{self.unit}"

    @property
    def unit(self) -> str:
        return "亩" if self.space_type == SpaceType.LAND else "m²"

    @property
    def need_labels(self) -> str:
        return "、".join(str(Facility(v).label) for v in self.needs if v in Facility.values)

    def clean(self) -> None:
        bad = _check_facilities(self.needs)
        if bad:
            raise ValidationError({"needs": _("Unknown conditions: %s") % ", ".join(bad)})


class MapLayerQuerySet(models.QuerySet["MapLayer"]):
    def visible_to(self, user: object) -> MapLayerQuerySet:
        """Layers of the user's region and the regions below it; researchers none."""
        if access.is_researcher(user):
            return self.none()
        return self.filter(access.user_region_q(user, "region"))


class MapLayer(TimeStampedModel):
    """An offline map layer (底图) of a district for 挂图作战: a GeoJSON of boundaries or parks that
    the office uploads with its approval (审图号) or licence. bioplan ships no map data."""

    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="map_layers"
    )
    name = models.CharField(_("name"), max_length=100)
    approval = models.CharField(
        _("approval or licence"),
        max_length=200,
        help_text=_("审图号 or the licence under which the office may use this map."),
    )
    geojson = models.JSONField(_("GeoJSON"))
    features = models.PositiveIntegerField(_("features"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MapLayerQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["geojson"])

    class Meta:
        ordering = ["region__name", "-created_at"]
        verbose_name = _("map layer")
        verbose_name_plural = _("map layers")

    def __str__(self) -> str:
        return self.name
