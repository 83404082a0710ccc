"""Reads of the park registry: parks with their occupancy, supply lists, and ranked matches."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.parks.choices import Facility, ParcelStatus, SpaceStatus, SpaceType
from bioplan.parks.matching import Demand, Match, Offer, rank_offers
from bioplan.parks.models import FloorSpace, LandParcel, MapLayer, Park, SpaceDemand
from bioplan.web.search import SearchGroup, SearchHit, all_terms_match, counted


@dataclass(frozen=True)
class ParkOccupancy:
    """A park's floor space (m²) by status and land (亩) by status; rates as fractions."""

    park: Park
    floor_total: Decimal
    floor_occupied: Decimal
    floor_reserved: Decimal
    floor_vacant: Decimal
    land_total: Decimal
    land_supplied: Decimal
    land_available: Decimal
    open_demands: int

    @property
    def occupancy_rate(self) -> Decimal | None:
        return (self.floor_occupied / self.floor_total) if self.floor_total else None

    @property
    def land_supply_rate(self) -> Decimal | None:
        return (self.land_supplied / self.land_total) if self.land_total else None


def parks_visible_to(user: Any) -> QuerySet[Park]:
    return Park.objects.visible_to(user).select_related("region", "district", "operator_department")


def occupancy_by_park(*, user: Any) -> list[ParkOccupancy]:
    """Occupancy statistics of every park the user sees, in three aggregate queries."""
    parks = list(parks_visible_to(user).order_by("district__name", "name"))
    ids = [p.pk for p in parks]
    zero = Decimal(0)
    floor: dict[int, dict[str, Decimal]] = {}
    for row in (
        FloorSpace.objects.filter(building__park_id__in=ids)
        .values("building__park_id", "status")
        .annotate(area=Sum("area_m2"))
    ):
        floor.setdefault(row["building__park_id"], {})[row["status"]] = row["area"] or zero
    land: dict[int, dict[str, Decimal]] = {}
    for row in (
        LandParcel.objects.filter(park_id__in=ids).values("park_id", "status").annotate(area=Sum("area_mu"))
    ):
        land.setdefault(row["park_id"], {})[row["status"]] = row["area"] or zero
    demands = dict(
        SpaceDemand.objects.filter(preferred_park_id__in=ids, status="open")
        .values("preferred_park_id")
        .annotate(n=Count("id"))
        .values_list("preferred_park_id", "n")
    )
    result = []
    for p in parks:
        f, lnd = floor.get(p.pk, {}), land.get(p.pk, {})
        result.append(
            ParkOccupancy(
                park=p,
                floor_total=sum(f.values(), zero),
                floor_occupied=f.get(SpaceStatus.OCCUPIED, zero),
                floor_reserved=f.get(SpaceStatus.RESERVED, zero),
                floor_vacant=f.get(SpaceStatus.VACANT, zero),
                land_total=sum(lnd.values(), zero),
                land_supplied=lnd.get(ParcelStatus.SUPPLIED, zero),
                land_available=lnd.get(ParcelStatus.AVAILABLE, zero),
                open_demands=demands.get(p.pk, 0),
            )
        )
    return result


@dataclass(frozen=True)
class SpaceFilter:
    park: int | None = None
    space_type: str = ""
    status: str = ""
    facility: str = ""


def space_list(*, user: Any, filters: SpaceFilter) -> QuerySet[FloorSpace]:
    qs = FloorSpace.objects.visible_to(user).select_related("building", "building__park")
    if filters.park:
        qs = qs.filter(building__park_id=filters.park)
    if filters.space_type:
        qs = qs.filter(space_type=filters.space_type)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.facility:
        # JSON containment is not portable to SQLite; the list is short, so match its text form.
        qs = qs.filter(facilities__icontains=f'"{filters.facility}"')
    return qs.order_by("building__park__name", "building__name", "floor")


def demand_spec(demand: SpaceDemand) -> Demand:
    return Demand(
        space_type=demand.space_type,
        area_min=demand.area_min,
        area_max=demand.area_max,
        needed_by=demand.needed_by,
        needs=frozenset(demand.needs),
        max_rent=demand.max_rent,
        preferred_park_id=demand.preferred_park_id,
    )


def offers_for(demand: SpaceDemand, user: Any = None) -> list[Offer]:
    """The supply a demand may take: available land for land, vacant floor space otherwise, in its
    district (and, given a user, only the parcels and spaces that user sees)."""
    if demand.space_type == SpaceType.LAND:
        parcels = LandParcel.objects.filter(
            park__district=demand.district, status=ParcelStatus.AVAILABLE
        ).select_related("park")
        if user is not None:
            parcels = parcels.filter(pk__in=LandParcel.objects.visible_to(user).values("pk"))
        return [
            Offer(
                key=f"parcel-{p.pk}",
                park_id=p.park_id,
                label=f"{p.park.name} {p.code} {p.name}".strip(),
                space_type=SpaceType.LAND,
                area=p.area_mu,
                available_from=p.available_from,
                rent=None,
                facilities=frozenset(p.facilities),
            )
            for p in parcels
        ]
    spaces = FloorSpace.objects.filter(
        building__park__district=demand.district, status=SpaceStatus.VACANT
    ).select_related("building", "building__park")
    if user is not None:
        spaces = spaces.filter(pk__in=FloorSpace.objects.visible_to(user).values("pk"))
    return [
        Offer(
            key=f"space-{s.pk}",
            park_id=s.building.park_id,
            label=f"{s.building.park.name} {s.building.name} {s.floor}",
            space_type=s.space_type,
            area=s.area_m2,
            available_from=s.available_from,
            rent=s.rent,
            facilities=frozenset(s.facilities),
        )
        for s in spaces
    ]


def demand_matches(*, demand: SpaceDemand, user: Any = None, limit: int = 10) -> list[Match]:
    """The best `limit` offers for the demand that `user` sees, ranked and explained (parks.matching)."""
    labels = {f.value: str(f.label) for f in Facility}
    return rank_offers(demand_spec(demand), offers_for(demand, user), labels)[:limit]


def demands_visible_to(user: Any, status: str = "") -> QuerySet[SpaceDemand]:
    qs = SpaceDemand.objects.visible_to(user).select_related("preferred_park", "enterprise")
    return qs.filter(status=status) if status else qs


def land_supplied(*, region: Region, start: Any, end: Any, land_uses: list[str] | None = None) -> Decimal:
    """亩 of land supplied (出让) between `start` and `end` (dates, inclusive) in a district or park."""
    qs = LandParcel.objects.filter(status=ParcelStatus.SUPPLIED, supplied_on__gte=start, supplied_on__lte=end)
    if region.level == RegionLevel.PARK:
        qs = qs.filter(park__region=region)
    elif region.level == RegionLevel.CITY:
        qs = qs.filter(Q(park__district=region) | Q(park__district__parent=region))
    else:
        qs = qs.filter(park__district=region)
    if land_uses:
        qs = qs.filter(land_use__in=land_uses)
    total = qs.aggregate(total=Sum("area_mu"))["total"] or Decimal(0)
    return Decimal(total).quantize(Decimal("0.01"))  # SQLite sums decimals as floats


def park_search(terms: list[str], user: Any, limit: int) -> SearchGroup:
    """Registered parks (name) the user may see, for the global search."""
    qs = Park.objects.visible_to(user).filter(all_terms_match(["name"], terms)).select_related("district")
    rows, total = counted(qs.order_by("name", "pk"), limit)
    hits = [SearchHit(p.name, reverse("parks:detail", args=[p.pk]), p.district.name) for p in rows]
    return SearchGroup("parks", _("Parks"), hits, total)


def active_map_layer(*, user: Any) -> MapLayer | None:
    """The map layer in use that the user reads (its district's; for a city user the first district's
    by name), or None: 挂图作战 then shows the schematic."""
    return (
        MapLayer.objects.visible_to(user)
        .filter(is_active=True)
        .order_by("region__name", "-created_at")
        .first()
    )
