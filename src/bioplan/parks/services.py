"""Every write of the park registry: parks, land parcels, buildings and floor space, demands.

Keyword-only arguments, one transaction each, full_clean() before saving, and the audit trail's user
and reason through django-simple-history. Park operators write only their parks' rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Department, Region, User
from bioplan.core.services import audited_save, record_delete
from bioplan.enterprises.models import Enterprise
from bioplan.enterprises.services import require_scope
from bioplan.parks.choices import DemandStatus, ParcelStatus, ParkType, SpaceStatus
from bioplan.parks.geojson import MapFileInvalid, parse_map_file
from bioplan.parks.models import Building, FloorSpace, LandParcel, MapLayer, Park, SpaceDemand

# How plans write a park's type (园区类型 in the layout) → the registry's type.
PLAN_PARK_TYPES = {
    "区域型": ParkType.AREA,
    "楼宇型": ParkType.BUILDING,
    "基地": ParkType.BASE,
    "片区": ParkType.ZONE,
}


def _require_park(user: User | None, park: Park) -> None:
    require_scope(user, district=park.district, park=park.region)


@transaction.atomic
def park_register(
    *,
    region: Region,
    park_type: str = ParkType.AREA,
    layout_group: str = "",
    focus: list[str] | None = None,
    area_km2: Decimal | None = None,
    planned_land_mu: Decimal | None = None,
    operator_department: Department | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> Park:
    """Register a park-level region in the park registry, or update its entry."""
    if region.level != RegionLevel.PARK or region.parent is None:
        raise ValidationError({"region": "请选择园区级行政区划。"})
    require_scope(user, district=region.parent, park=region)
    park = Park.objects.filter(region=region).first() or Park(region=region)
    park.district = region.parent
    park.name = region.name
    park.park_type = park_type
    park.layout_group = layout_group
    park.focus = focus or []
    park.area_km2 = area_km2
    park.planned_land_mu = planned_land_mu
    park.operator_department = operator_department
    park.simulated = simulated
    audited_save(park, user=user, reason="park registered")
    return park


@transaction.atomic
def park_sync_from_plans(*, district: Region, user: User | None = None) -> list[Park]:
    """Register every park the district's plans name (the Region(level=park) made on plan import),
    keeping entries already registered; type, group, focus and new land come from the plans."""
    from bioplan.plans.models import Park as PlanPark

    parks = []
    # Only the parks a plan names: other park-level regions (the scope of a target, such as
    # "临港浦江园（含国际生命健康城）" when the layout says 临港浦江园) are not parks to register.
    regions = (
        Region.objects.filter(level=RegionLevel.PARK, parent=district, plan_parks__isnull=False)
        .annotate(position=Min("plan_parks__position"))
        .order_by(F("position").asc(nulls_last=True), "name")
    )
    for region in regions:
        existing = Park.objects.filter(region=region).first()
        if existing is not None:
            parks.append(existing)
            continue
        named = PlanPark.objects.filter(region=region).order_by("-plan__is_current", "-plan_id").first()
        parks.append(
            park_register(
                region=region,
                park_type=PLAN_PARK_TYPES.get(named.park_type, ParkType.OTHER) if named else ParkType.OTHER,
                layout_group=(named.layout_group if named else "")[:20],
                focus=list(named.focus) if named else [],
                planned_land_mu=named.new_land_mu if named else None,
                user=user,
            )
        )
    return parks


@transaction.atomic
def parcel_create(
    *,
    park: Park,
    code: str,
    area_mu: Decimal,
    land_use: str,
    name: str = "",
    status: str = ParcelStatus.AVAILABLE,
    available_from: dt.date | None = None,
    supplied_on: dt.date | None = None,
    supplied_to: str = "",
    facilities: list[str] | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> LandParcel:
    _require_park(user, park)
    parcel = LandParcel(
        park=park,
        code=code,
        name=name,
        area_mu=area_mu,
        land_use=land_use,
        status=status,
        available_from=available_from,
        supplied_on=supplied_on,
        supplied_to=supplied_to,
        facilities=facilities or [],
        simulated=simulated,
    )
    audited_save(parcel, user=user, reason="parcel registered")
    return parcel


@transaction.atomic
def parcel_supply(
    *, parcel: LandParcel, supplied_on: dt.date, supplied_to: str, user: User | None = None
) -> LandParcel:
    """Record that a parcel was supplied (出让) on a date to a company or project."""
    _require_park(user, parcel.park)
    if parcel.status == ParcelStatus.SUPPLIED:
        raise ValidationError({"status": "该地块已出让。"})
    parcel.status = ParcelStatus.SUPPLIED
    parcel.supplied_on = supplied_on
    parcel.supplied_to = supplied_to
    audited_save(parcel, user=user, reason="parcel supplied")
    return parcel


@transaction.atomic
def building_create(
    *, park: Park, name: str, floors: int = 1, simulated: bool = False, user: User | None = None
) -> Building:
    _require_park(user, park)
    building = Building(park=park, name=name, floors=floors, simulated=simulated)
    audited_save(building, user=user, reason="building registered")
    return building


@transaction.atomic
def space_create(
    *,
    building: Building,
    floor: str,
    space_type: str,
    area_m2: Decimal,
    available_from: dt.date | None = None,
    rent: Decimal | None = None,
    status: str = SpaceStatus.VACANT,
    tenant_name: str = "",
    facilities: list[str] | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> FloorSpace:
    _require_park(user, building.park)
    space = FloorSpace(
        building=building,
        floor=floor,
        space_type=space_type,
        area_m2=area_m2,
        available_from=available_from,
        rent=rent,
        status=status,
        tenant_name=tenant_name,
        facilities=facilities or [],
        simulated=simulated,
    )
    audited_save(space, user=user, reason="space registered")
    return space


SPACE_FIELDS = (
    "floor",
    "space_type",
    "area_m2",
    "available_from",
    "rent",
    "status",
    "tenant_name",
    "facilities",
)


@transaction.atomic
def space_update(*, space: FloorSpace, user: User | None, **changes: Any) -> FloorSpace:
    """Change a space's fields (among SPACE_FIELDS); a space let or reserved names its tenant."""
    unknown = set(changes) - set(SPACE_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_park(user, space.building.park)
    for key, value in changes.items():
        setattr(space, key, value)
    if space.status != SpaceStatus.VACANT and not space.tenant_name:
        raise ValidationError({"tenant_name": "请填写入驻企业。"})
    if space.status == SpaceStatus.VACANT:
        space.tenant_name = ""
    audited_save(space, user=user, reason="space updated")
    return space


@transaction.atomic
def space_delete(*, space: FloorSpace, user: User | None, reason: str) -> int:
    """Remove a space (restorable from the change history)."""
    _require_park(user, space.building.park)
    return record_delete(instance=space, user=user, reason=reason or "space deleted")


@transaction.atomic
def space_let(
    *, space: FloorSpace, tenant_name: str, status: str = SpaceStatus.OCCUPIED, user: User | None = None
) -> FloorSpace:
    """Reserve or let a space to a tenant; letting it free again uses status 空置 and no tenant."""
    _require_park(user, space.building.park)
    if status != SpaceStatus.VACANT and not tenant_name:
        raise ValidationError({"tenant_name": "请填写入驻企业。"})
    space.status = status
    space.tenant_name = tenant_name if status != SpaceStatus.VACANT else ""
    audited_save(space, user=user, reason=f"space {status}")
    return space


@transaction.atomic
def demand_create(
    *,
    requester_name: str,
    district: Region,
    space_type: str,
    area_min: Decimal,
    area_max: Decimal | None = None,
    enterprise: Enterprise | None = None,
    preferred_park: Park | None = None,
    needed_by: dt.date | None = None,
    needs: list[str] | None = None,
    max_rent: Decimal | None = None,
    note: str = "",
    simulated: bool = False,
    user: User | None = None,
) -> SpaceDemand:
    """Record a space demand of an enterprise or a project (the office, or the preferred park's operator)."""
    require_scope(user, district=district, park=preferred_park.region if preferred_park else None)
    demand = SpaceDemand(
        requester_name=requester_name,
        enterprise=enterprise,
        district=district,
        preferred_park=preferred_park,
        space_type=space_type,
        area_min=area_min,
        area_max=area_max,
        needed_by=needed_by,
        needs=needs or [],
        max_rent=max_rent,
        note=note,
        simulated=simulated,
    )
    audited_save(demand, user=user, reason="demand recorded")
    return demand


@transaction.atomic
def demand_set_status(*, demand: SpaceDemand, status: str, user: User | None = None) -> SpaceDemand:
    require_scope(
        user, district=demand.district, park=demand.preferred_park.region if demand.preferred_park else None
    )
    if status not in DemandStatus.values:
        raise ValidationError({"status": f"未知的需求状态：{status}"})
    demand.status = status
    audited_save(demand, user=user, reason=f"demand {status}")
    return demand


@transaction.atomic
def demand_match_accept(*, demand: SpaceDemand, offer_key: str, user: User | None = None) -> SpaceDemand:
    """Accept one ranked offer for a demand: a floor space is reserved (已预订) for the requester and
    the demand becomes 已匹配; for land the demand is matched and the parcel named in its note."""
    kind, _, pk = offer_key.partition("-")
    if kind == "space":
        space = FloorSpace.objects.select_related("building__park").get(
            pk=int(pk), building__park__district=demand.district
        )
        if space.status != SpaceStatus.VACANT:
            raise ValidationError({"offer": "该载体已不再空置。"})
        space_let(
            space=space, tenant_name=demand.requester_name[:200], status=SpaceStatus.RESERVED, user=user
        )
        demand.note = f"匹配：{space}"[:300]
    elif kind == "parcel":
        parcel = LandParcel.objects.get(pk=int(pk), park__district=demand.district)
        _require_park(user, parcel.park)
        demand.note = f"匹配：{parcel}"[:300]
    else:
        raise ValidationError({"offer": "未知的载体。"})
    return demand_set_status(demand=demand, status=DemandStatus.MATCHED, user=user)


# ------------------------------------------------------------------------------------ map layers
@transaction.atomic
def map_layer_upload(*, region: Region, name: str, approval: str, data: bytes, user: User | None) -> MapLayer:
    """Store a GeoJSON map layer for `region` (a district) and make it the one in use.

    `approval` is the 审图号 or licence (required: bioplan shows no map of unclear licence). Raises
    ValidationError naming the problem (MapFileInvalid's Chinese message for a bad file)."""
    require_scope(user, district=region, park=None)
    if region.level != RegionLevel.DISTRICT:
        raise ValidationError({"region": "底图只能上传到区。"})
    if not approval.strip():
        raise ValidationError({"approval": "请填写审图号或使用许可，未经批准的地图不能使用。"})
    try:
        geojson, count = parse_map_file(data)
    except MapFileInvalid as exc:
        raise ValidationError({"file": str(exc)}) from exc
    for old in MapLayer.objects.filter(region=region, is_active=True):
        old.is_active = False
        audited_save(old, user=user, reason="replaced by a new map layer")
    layer = MapLayer(
        region=region,
        name=name.strip(),
        approval=approval.strip(),
        geojson=geojson,
        features=count,
        is_active=True,
        uploaded_by=user,
    )
    audited_save(layer, user=user, reason="map layer uploaded")
    return layer


@transaction.atomic
def map_layer_deactivate(*, layer: MapLayer, user: User | None) -> MapLayer:
    """Stop using `layer`: 挂图作战 falls back to the schematic."""
    require_scope(user, district=layer.region, park=None)
    layer.is_active = False
    audited_save(layer, user=user, reason="map layer withdrawn")
    return layer


# ------------------------------------------------------------------------------ corrections
PARCEL_FIELDS = (
    "code",
    "name",
    "area_mu",
    "land_use",
    "status",
    "available_from",
    "supplied_on",
    "supplied_to",
    "facilities",
)
BUILDING_FIELDS = ("name", "floors")


def _apply(instance: Any, fields: tuple[str, ...], changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    for key, value in changes.items():
        setattr(instance, key, value)


@transaction.atomic
def parcel_update(*, parcel: LandParcel, user: User | None, **changes: Any) -> LandParcel:
    """Correct a parcel (among PARCEL_FIELDS); a supplied parcel needs its supply date (model clean)."""
    _require_park(user, parcel.park)
    _apply(parcel, PARCEL_FIELDS, changes)
    audited_save(parcel, user=user, reason="parcel updated")
    return parcel


@transaction.atomic
def parcel_delete(*, parcel: LandParcel, user: User | None, reason: str) -> int:
    _require_park(user, parcel.park)
    return record_delete(instance=parcel, user=user, reason=reason or "parcel deleted")


@transaction.atomic
def building_update(*, building: Building, user: User | None, **changes: Any) -> Building:
    _require_park(user, building.park)
    _apply(building, BUILDING_FIELDS, changes)
    audited_save(building, user=user, reason="building updated")
    return building


@transaction.atomic
def building_delete(*, building: Building, user: User | None, reason: str) -> int:
    """Remove a building with its floor space (restorable from the change history)."""
    _require_park(user, building.park)
    return record_delete(instance=building, user=user, reason=reason or "building deleted")


PARK_FIELDS = ("park_type", "area_km2", "planned_land_mu", "operator_department", "latitude", "longitude")


@transaction.atomic
def park_update(*, park: Park, user: User | None, **changes: Any) -> Park:
    """Change a registered park's type, area, planned land, operator or coordinates. Only the
    office names the operator (a park operator would otherwise hand its park away or take another)."""
    from django.core.exceptions import PermissionDenied

    _require_park(user, park)
    new_operator = changes.get("operator_department", park.operator_department)
    if (
        user is not None
        and not user.is_office_admin
        and getattr(new_operator, "pk", None) != park.operator_department_id
    ):
        raise PermissionDenied("只有产业办公室可以指定园区运营方。")
    _apply(park, PARK_FIELDS, changes)
    audited_save(park, user=user, reason="park updated")
    return park
