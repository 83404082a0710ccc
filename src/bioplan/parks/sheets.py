"""The park registry's sheets: 土地地块, 楼宇载体, 空间需求 (see bioplan/sheets for the machinery)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bioplan import sheets as wb
from bioplan.core.models import Region
from bioplan.enterprises.models import Enterprise
from bioplan.enterprises.sheets import Changes, apply_values, credit_code_cell, first_seen, save_changes
from bioplan.parks.choices import DemandStatus, Facility, LandUse, ParcelStatus, SpaceStatus, SpaceType
from bioplan.parks.models import Building, FloorSpace, LandParcel, Park, SpaceDemand


class RegistryParks:
    """The district's registered parks by name, and which the user may write in."""

    def __init__(self, ctx: wb.ImportContext) -> None:
        self.ctx = ctx
        self.by_name = {p.name: p for p in Park.objects.filter(district=ctx.region).select_related("region")}
        self.editable = (
            set(Park.objects.editable_by(ctx.user).filter(district=ctx.region).values_list("pk", flat=True))
            if ctx.user
            else set(p.pk for p in self.by_name.values())
        )

    def get(self, row: wb.ParsedRow, key: str = "park", required: bool = True) -> Park | None:
        name = row[key]
        if not name:
            return None
        park = self.by_name.get(name)
        if park is None:
            self.ctx.problem(row.number, key, f"园区“{name}”未在{self.ctx.region.name}园区库中登记")
        elif required and park.pk not in self.editable:
            self.ctx.problem(row.number, key, "无权修改该园区的数据")
            return None
        return park


# ---------------------------------------------------------------------------------- 土地地块
PARCEL_COLUMNS = [
    wb.Column("园区", "park", wb.text(100), required=True, width=22),
    wb.Column("地块编号", "code", wb.text(40), required=True, width=16),
    wb.Column("地块名称", "name", wb.text(100), width=20),
    wb.Column("面积（亩）", "area_mu", wb.decimal(), required=True, kind="number"),
    wb.Column("用地性质", "land_use", wb.choice(LandUse), required=True),
    wb.Column("状态", "status", wb.choice(ParcelStatus), required=True, width=8),
    wb.Column("可供日期", "available_from", wb.date, kind="date", width=12),
    wb.Column("出让日期", "supplied_on", wb.date, kind="date", width=12),
    wb.Column("受让方", "supplied_to", wb.text(200), width=24),
    wb.Column("配套条件", "facilities", wb.choice_list(Facility), width=24),
]
PARCEL_FIELDS = [
    "name",
    "area_mu",
    "land_use",
    "status",
    "available_from",
    "supplied_on",
    "supplied_to",
    "facilities",
]


def _parcel_export(user: Any, region: Region) -> Iterable[list[Any]]:
    for p in (
        LandParcel.objects.visible_to(user)
        .filter(park__district=region)
        .select_related("park")
        .order_by("park__name", "code")
    ):
        yield [
            p.park.name,
            p.code,
            p.name,
            p.area_mu,
            wb.label_of(LandUse, p.land_use),
            wb.label_of(ParcelStatus, p.status),
            p.available_from,
            p.supplied_on,
            p.supplied_to,
            wb.labels_of(Facility, p.facilities),
        ]


def _parcel_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    parks = RegistryParks(ctx)
    first_seen(ctx, rows, lambda r: (r["park"], r["code"]), "code")
    existing = {(p.park_id, p.code): p for p in LandParcel.objects.filter(park__district=ctx.region)}
    changes = Changes()
    for r in rows:
        park = parks.get(r)
        if park is None or not r["code"]:
            continue
        values = {
            k: r[k] if r[k] is not None else ("" if k in ("name", "supplied_to") else None)
            for k in PARCEL_FIELDS
        }
        values["facilities"] = r["facilities"] or []
        if values["status"] == ParcelStatus.SUPPLIED and not values["supplied_on"]:
            ctx.problem(r.number, "supplied_on", "已出让地块须填写出让日期")
            continue
        parcel = existing.get((park.pk, r["code"]))
        if parcel is None:
            parcel = LandParcel(park=park, code=r["code"], **values)
            ctx.model_problems(r.number, parcel)
            changes.new.append(parcel)
        elif apply_values(parcel, values):
            ctx.model_problems(r.number, parcel)
            changes.changed.append(parcel)
    return changes


# ---------------------------------------------------------------------------------- 楼宇载体
SPACE_COLUMNS = [
    wb.Column("园区", "park", wb.text(100), required=True, width=22),
    wb.Column("楼宇", "building", wb.text(100), required=True, width=16),
    wb.Column("楼层/单元", "floor", wb.text(20), required=True, width=10),
    wb.Column("载体类型", "space_type", wb.choice(SpaceType), required=True, width=12),
    wb.Column("面积（平方米）", "area_m2", wb.decimal(), required=True, kind="number"),
    wb.Column("可入驻日期", "available_from", wb.date, kind="date", width=12),
    wb.Column("租金（元/平方米·天）", "rent", wb.decimal(), kind="number", width=18),
    wb.Column("状态", "status", wb.choice(SpaceStatus), required=True, width=8),
    wb.Column("入驻企业", "tenant_name", wb.text(200), width=24),
    wb.Column("配套条件", "facilities", wb.choice_list(Facility), width=24),
]
SPACE_FIELDS = ["space_type", "area_m2", "available_from", "rent", "status", "tenant_name", "facilities"]


def _space_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = (
        FloorSpace.objects.visible_to(user)
        .filter(building__park__district=region)
        .select_related("building", "building__park")
    )
    for s in qs.order_by("building__park__name", "building__name", "floor"):
        yield [
            s.building.park.name,
            s.building.name,
            s.floor,
            wb.label_of(SpaceType, s.space_type),
            s.area_m2,
            s.available_from,
            s.rent,
            wb.label_of(SpaceStatus, s.status),
            s.tenant_name,
            wb.labels_of(Facility, s.facilities),
        ]


def _space_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    parks = RegistryParks(ctx)
    first_seen(ctx, rows, lambda r: (r["park"], r["building"], r["floor"]), "floor")
    buildings = {(b.park_id, b.name): b for b in Building.objects.filter(park__district=ctx.region)}
    existing = {
        (s.building_id, s.floor): s for s in FloorSpace.objects.filter(building__park__district=ctx.region)
    }
    changes = Changes()
    for r in rows:
        park = parks.get(r)
        if park is None or not r["building"] or not r["floor"]:
            continue
        if r["space_type"] == SpaceType.LAND:
            ctx.problem(r.number, "space_type", "土地请在“土地地块”表登记")
            continue
        values = {k: r[k] for k in SPACE_FIELDS}
        values["tenant_name"] = r["tenant_name"] or ""
        values["facilities"] = r["facilities"] or []
        building = buildings.get((park.pk, r["building"]))
        if building is None:
            building = Building(park=park, name=r["building"])
            buildings[(park.pk, r["building"])] = building
            changes.extra.append(building)
        space = existing.get((building.pk, r["floor"])) if building.pk else None
        if space is None:
            space = FloorSpace(building=building, floor=r["floor"], **values)
            ctx.model_problems(r.number, space, exclude=["building"])
            changes.new.append(space)
        elif apply_values(space, values):
            ctx.model_problems(r.number, space)
            changes.changed.append(space)
    return changes


def _space_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    from simple_history.utils import bulk_create_with_history

    if changes.extra:
        bulk_create_with_history(
            changes.extra, Building, default_user=ctx.user, default_change_reason="Excel导入"
        )
    for space in changes.new:
        space.building = space.building  # re-read the building's new primary key
    return save_changes(ctx, FloorSpace, changes, SPACE_FIELDS)


# ---------------------------------------------------------------------------------- 空间需求
DEMAND_COLUMNS = [
    wb.Column("需求方", "requester_name", wb.text(200), required=True, width=28),
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, width=22),
    wb.Column("意向园区", "park", wb.text(100), width=22),
    wb.Column("载体类型", "space_type", wb.choice(SpaceType), required=True, width=12),
    wb.Column(
        "面积下限（平方米，土地为亩）", "area_min", wb.decimal(), required=True, kind="number", width=16
    ),
    wb.Column("面积上限（平方米，土地为亩）", "area_max", wb.decimal(), kind="number", width=16),
    wb.Column("需求时间", "needed_by", wb.date, kind="date", width=12),
    wb.Column("配套需求", "needs", wb.choice_list(Facility), width=24),
    wb.Column("租金上限（元/平方米·天）", "max_rent", wb.decimal(), kind="number", width=16),
    wb.Column("状态", "status", wb.choice(DemandStatus), width=8),
    wb.Column("备注", "note", wb.text(300), width=24),
]
DEMAND_FIELDS = [
    "enterprise",
    "preferred_park",
    "area_min",
    "area_max",
    "needed_by",
    "needs",
    "max_rent",
    "status",
    "note",
]


def _demand_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = (
        SpaceDemand.objects.visible_to(user)
        .filter(district=region)
        .select_related("enterprise", "preferred_park")
    )
    for d in qs.order_by("requester_name", "space_type", "pk"):
        yield [
            d.requester_name,
            d.enterprise.credit_code if d.enterprise else "",
            d.preferred_park.name if d.preferred_park else "",
            wb.label_of(SpaceType, d.space_type),
            d.area_min,
            d.area_max,
            d.needed_by,
            wb.labels_of(Facility, d.needs),
            d.max_rent,
            wb.label_of(DemandStatus, d.status),
            d.note,
        ]


def _demand_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    parks = RegistryParks(ctx)
    first_seen(ctx, rows, lambda r: (r["requester_name"], r["space_type"]), "space_type")
    codes = {r["credit_code"] for r in rows if r["credit_code"]}
    enterprises = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes, district=ctx.region)
    }
    existing = {(d.requester_name, d.space_type): d for d in SpaceDemand.objects.filter(district=ctx.region)}
    office = ctx.user is None or ctx.user.is_office_admin
    changes = Changes()
    for r in rows:
        park = parks.get(r, required=False)
        if r["park"] and park is None:
            continue
        if not office and (park is None or park.pk not in parks.editable):
            ctx.problem(r.number, "park", "园区运营方只能登记本园区的需求")
            continue
        enterprise = enterprises.get(r["credit_code"]) if r["credit_code"] else None
        if r["credit_code"] and enterprise is None:
            ctx.problem(r.number, "credit_code", f"{ctx.region.name}企业库中没有该企业")
            continue
        if r["area_max"] is not None and r["area_min"] is not None and r["area_max"] < r["area_min"]:
            ctx.problem(r.number, "area_max", "面积上限小于下限")
            continue
        values = {
            "enterprise": enterprise,
            "preferred_park": park,
            "area_min": r["area_min"],
            "area_max": r["area_max"],
            "needed_by": r["needed_by"],
            "needs": r["needs"] or [],
            "max_rent": r["max_rent"],
            "status": r["status"] or DemandStatus.OPEN,
            "note": r["note"] or "",
        }
        demand = existing.get((r["requester_name"], r["space_type"]))
        if demand is None:
            demand = SpaceDemand(
                requester_name=r["requester_name"], space_type=r["space_type"], district=ctx.region, **values
            )
            ctx.model_problems(r.number, demand)
            changes.new.append(demand)
        elif apply_values(demand, values):
            ctx.model_problems(r.number, demand)
            changes.changed.append(demand)
    return changes


PARK_SHEETS = {
    "parcels": wb.SheetSpec(
        "parcels",
        "土地地块",
        PARCEL_COLUMNS,
        _parcel_export,
        _parcel_prepare,
        lambda ctx, ch: save_changes(ctx, LandParcel, ch, PARCEL_FIELDS),
    ),
    "spaces": wb.SheetSpec("spaces", "楼宇载体", SPACE_COLUMNS, _space_export, _space_prepare, _space_save),
    "demands": wb.SheetSpec(
        "demands",
        "空间需求",
        DEMAND_COLUMNS,
        _demand_export,
        _demand_prepare,
        lambda ctx, ch: save_changes(ctx, SpaceDemand, ch, DEMAND_FIELDS),
    ),
}


def register_park_sheets() -> None:
    for spec in PARK_SHEETS.values():
        wb.register_sheet(spec)
