"""The enterprise registry's sheets, in the layout the offices already use: 企业名录, 企业资质,
企业经济指标, 产品管线 (see bioplan/sheets for the machinery)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from bioplan import sheets as wb
from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.enterprises.choices import (
    FigureSource,
    HonourKind,
    HonourLevel,
    ListingBoard,
    ProductKind,
    ProductPhase,
    Segment,
)
from bioplan.enterprises.creditcode import credit_code_normalize, credit_code_problem
from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product, ProductMilestone
from bioplan.enterprises.services import (
    figure_values_rule,
    honour_terms,
    product_phase_rule,
    user_may_edit_scope,
)

REASON = "Excel导入"
BATCH = 2000


# ------------------------------------------------------------------------------------- helpers
def credit_code_cell(value: Any) -> str:
    """A cell holding a credit code: normalised, check digit verified."""
    code = credit_code_normalize(str(value))
    problem = credit_code_problem(code)
    if problem:
        raise wb.CellError(problem)
    return code


class ParkLookup:
    """Park names of a district → park-level Region, and whether the user may write in each."""

    def __init__(self, ctx: wb.ImportContext) -> None:
        self.ctx = ctx
        self.by_name = {r.name: r for r in Region.objects.filter(level=RegionLevel.PARK, parent=ctx.region)}
        self._editable: dict[int | None, bool] = {}

    def get(self, row: wb.ParsedRow, key: str = "park") -> tuple[bool, Region | None]:
        name = row[key]
        if not name:
            return True, None
        park = self.by_name.get(name)
        if park is None:
            self.ctx.problem(row.number, key, f"园区“{name}”不在{self.ctx.region.name}的园区名录中")
            return False, None
        return True, park

    def editable(self, park: Region | None) -> bool:
        key = park.pk if park else None
        if key not in self._editable:
            self._editable[key] = user_may_edit_scope(self.ctx.user, district=self.ctx.region, park=park)
        return self._editable[key]


def resolve_enterprises(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> dict[str, Enterprise]:
    """The enterprises the rows name by credit code, recording rows that name an unknown enterprise,
    one of another district, or one the user may not edit."""
    codes = sorted({r["credit_code"] for r in rows if r["credit_code"]})
    found: dict[str, Enterprise] = {}
    for chunk in wb.chunks(codes):
        for e in Enterprise.objects.filter(credit_code__in=chunk).only(
            "id", "credit_code", "district_id", "park_id", "name"
        ):
            found[e.credit_code] = e
    editable: set[int] = set()
    for chunk in wb.chunks([e.pk for e in found.values()]):
        editable.update(
            Enterprise.objects.editable_by(ctx.user).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    for r in rows:
        code = r["credit_code"]
        if not code:
            continue
        match = found.get(code)
        if match is None:
            ctx.problem(r.number, "credit_code", "企业库中没有该统一社会信用代码，请先导入企业名录")
        elif match.district_id != ctx.region.pk:
            ctx.problem(r.number, "credit_code", f"该企业不属于{ctx.region.name}")
        elif ctx.user is not None and match.pk not in editable:
            ctx.locked.add(match.pk)  # reported only if the row would change something (may_change)
    return found


def may_change(ctx: wb.ImportContext, row: wb.ParsedRow, enterprise_id: int) -> bool:
    """False (and the row named) when the row would change an enterprise the user may not edit."""
    if enterprise_id in ctx.locked:
        ctx.problem(row.number, "credit_code", "无权修改该企业的数据")
        return False
    return True


def differs(instance: Any, values: dict[str, Any]) -> bool:
    return any(getattr(instance, k) != v for k, v in values.items())


def first_seen(ctx: wb.ImportContext, rows: list[wb.ParsedRow], key_of: Any, column: str) -> None:
    """Record rows repeating an earlier row's key."""
    seen: dict[Any, int] = {}
    for r in rows:
        key = key_of(r)
        if key is None:
            continue
        if key in seen:
            ctx.problem(r.number, column, f"与第{seen[key]}行重复")
        else:
            seen[key] = r.number


@dataclass
class Changes:
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)


def apply_values(instance: Any, values: dict[str, Any]) -> bool:
    """Set `values` on `instance`; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def save_changes(ctx: wb.ImportContext, model: Any, changes: Changes, fields: list[str]) -> wb.SaveResult:
    user = ctx.user
    if changes.new:
        wb.fast_create_with_history(model, changes.new, user=user, reason=REASON)
    if changes.changed:
        bulk_update_with_history(
            changes.changed, model, fields, batch_size=BATCH, default_user=user, default_change_reason=REASON
        )
    return wb.SaveResult(created=len(changes.new), updated=len(changes.changed))


# ---------------------------------------------------------------------------------- 企业名录
ENTERPRISE_COLUMNS = [
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, required=True, width=22),
    wb.Column("企业名称", "name", wb.text(200), required=True, width=34),
    wb.Column("所在园区", "park", wb.text(100), width=22),
    wb.Column("注册地址", "address", wb.text(300), width=30),
    wb.Column("主营领域", "segment", wb.choice(Segment), required=True),
    wb.Column("其他领域", "other_segments", wb.choice_list(Segment), width=20),
    wb.Column("是否规上", "is_above_scale", wb.boolean, width=10),
    wb.Column("成立日期", "founded_on", wb.date, kind="date", width=12),
]
ENTERPRISE_FIELDS = ["name", "park", "address", "segment", "other_segments", "is_above_scale", "founded_on"]


def _enterprise_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = Enterprise.objects.visible_to(user).filter(district=region).order_by("name", "pk")
    for code, name, park, address, segment, others, above, founded in qs.values_list(
        "credit_code",
        "name",
        "park__name",
        "address",
        "segment",
        "other_segments",
        "is_above_scale",
        "founded_on",
    ).iterator(chunk_size=5000):
        yield [
            code,
            name,
            park,
            address,
            wb.label_of(Segment, segment),
            wb.labels_of(Segment, others),
            above,
            founded,
        ]


def _enterprise_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    first_seen(ctx, rows, lambda r: r["credit_code"], "credit_code")
    parks = ParkLookup(ctx)
    existing: dict[str, Enterprise] = {}
    codes = [r["credit_code"] for r in rows if r["credit_code"]]
    for chunk in wb.chunks(codes):
        for found in Enterprise.objects.filter(credit_code__in=chunk).select_related("park"):
            existing[found.credit_code] = found
    changes = Changes()
    for r in rows:
        ok, park = parks.get(r)
        if not ok or not r["credit_code"]:
            continue
        values = {
            "name": r["name"] or "",
            "park": park,
            "address": r["address"] or "",
            "segment": r["segment"] or "",
            "other_segments": r["other_segments"] or [],
            "is_above_scale": bool(r["is_above_scale"]),
            "founded_on": r["founded_on"],
        }
        e: Enterprise | None = existing.get(r["credit_code"])
        if e is not None and e.district_id != ctx.region.pk:
            ctx.problem(r.number, "credit_code", "该企业已登记在其他区")
            continue
        # An unchanged row is fine whoever imports it; a new or changed one needs the right to edit it.
        differs = e is None or any(getattr(e, k) != v for k, v in values.items())
        if differs and (not parks.editable(park) or (e is not None and not parks.editable(e.park))):
            ctx.problem(r.number, "park", "无权在该园区登记或修改企业")
            continue
        if e is None:
            e = Enterprise(credit_code=r["credit_code"], district=ctx.region, **values)
            ctx.model_problems(r.number, e, exclude=["credit_code"])
            changes.new.append(e)
        elif apply_values(e, values):
            ctx.model_problems(r.number, e, exclude=["credit_code"])
            changes.changed.append(e)
    return changes


def _enterprise_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    return save_changes(ctx, Enterprise, changes, ENTERPRISE_FIELDS)


# ---------------------------------------------------------------------------------- 企业资质
HONOUR_COLUMNS = [
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, required=True, width=22),
    wb.Column("企业名称", "enterprise_name", wb.text(200), width=30),
    wb.Column("资质类型", "kind", wb.choice(HonourKind), required=True, width=16),
    wb.Column("级别", "level", wb.choice(HonourLevel), width=8),
    wb.Column("证书编号", "certificate_no", wb.text(60), width=20),
    wb.Column("认定日期", "valid_from", wb.date, required=True, kind="date", width=12),
    wb.Column("有效期至", "valid_until", wb.date, kind="date", width=12),
    wb.Column("上市板块", "board", wb.choice(ListingBoard), width=12),
    wb.Column("股票代码", "stock_code", wb.text(12), width=10),
]
HONOUR_FIELDS = ["level", "certificate_no", "valid_until", "board", "stock_code"]


def _honour_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = Honour.objects.filter(
        enterprise__in=Enterprise.objects.visible_to(user).filter(district=region)
    ).order_by("enterprise__name", "kind", "valid_from", "pk")
    for row in qs.values_list(
        "enterprise__credit_code",
        "enterprise__name",
        "kind",
        "level",
        "certificate_no",
        "valid_from",
        "valid_until",
        "board",
        "stock_code",
    ).iterator(chunk_size=5000):
        code, name, kind, level, cert, start, until, board, stock = row
        yield [
            code,
            name,
            wb.label_of(HonourKind, kind),
            wb.label_of(HonourLevel, level),
            cert,
            start,
            until,
            wb.label_of(ListingBoard, board),
            stock,
        ]


def _honour_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    enterprises = resolve_enterprises(ctx, rows)
    first_seen(ctx, rows, lambda r: (r["credit_code"], r["kind"], r["valid_from"]), "valid_from")
    ids = [e.pk for e in enterprises.values()]
    existing: dict[tuple[int, str, Any], Honour] = {}
    for chunk in wb.chunks(ids):
        for old in Honour.objects.filter(enterprise_id__in=chunk):
            existing[(old.enterprise_id, old.kind, old.valid_from)] = old
    changes = Changes()
    for r in rows:
        e = enterprises.get(r["credit_code"] or "")
        if e is None or not r["kind"] or not r["valid_from"]:
            continue
        try:  # the same rule as the page's honour_grant: 上市 needs a board, 高企 three years
            valid_until = honour_terms(
                kind=r["kind"],
                valid_from=r["valid_from"],
                valid_until=r["valid_until"],
                board=r["board"] or "",
            )
        except ValidationError as exc:
            ctx.problems_of(r.number, exc, "kind")
            continue
        values = {
            "level": r["level"] or "",
            "certificate_no": r["certificate_no"] or "",
            "valid_until": valid_until,
            "board": r["board"] or "",
            "stock_code": r["stock_code"] or "",
        }
        h: Honour | None = existing.get((e.pk, r["kind"], r["valid_from"]))
        if (h is None or differs(h, values)) and not may_change(ctx, r, e.pk):
            continue
        if h is None:
            h = Honour(enterprise_id=e.pk, kind=r["kind"], valid_from=r["valid_from"], **values)
            ctx.model_problems(r.number, h, exclude=["enterprise"])
            changes.new.append(h)
        elif apply_values(h, values):
            ctx.model_problems(r.number, h, exclude=["enterprise"])
            changes.changed.append(h)
    return changes


def _honour_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    return save_changes(ctx, Honour, changes, HONOUR_FIELDS)


# ------------------------------------------------------------------------------ 企业经济指标
FIGURE_COLUMNS = [
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, required=True, width=22),
    wb.Column("企业名称", "enterprise_name", wb.text(200), width=30),
    wb.Column("年度", "year", wb.integer(1990, 2100), required=True, width=8),
    wb.Column("季度", "quarter", wb.integer(0, 4), width=6),
    wb.Column("营业收入（万元）", "revenue", wb.decimal(), kind="number"),
    wb.Column("工业总产值（万元）", "industrial_output", wb.decimal(), kind="number"),
    wb.Column("研发投入（万元）", "rd_expense", wb.decimal(), kind="number"),
    wb.Column("税收（万元）", "tax", wb.decimal(minimum=None), kind="number"),
    wb.Column("从业人员（人）", "employees", wb.integer(0), kind="number"),
    wb.Column("数据来源", "source", wb.choice(FigureSource), required=True, width=10),
]
FIGURE_FIELDS = ["revenue", "industrial_output", "rd_expense", "tax", "employees", "source"]


def _figure_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = EnterpriseFigure.objects.filter(
        enterprise__in=Enterprise.objects.visible_to(user).filter(district=region)
    ).order_by("enterprise__name", "enterprise_id", "year", "quarter")
    for row in qs.values_list(
        "enterprise__credit_code", "enterprise__name", "year", "quarter", *FIGURE_FIELDS
    ).iterator(chunk_size=5000):
        yield [*row[:-1], wb.label_of(FigureSource, row[-1])]


def _figure_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    enterprises = resolve_enterprises(ctx, rows)
    first_seen(ctx, rows, lambda r: (r["credit_code"], r["year"], r["quarter"] or 0), "year")
    existing: dict[tuple[int, int, int], EnterpriseFigure] = {}
    for chunk in wb.chunks([e.pk for e in enterprises.values()]):
        for old in EnterpriseFigure.objects.filter(enterprise_id__in=chunk):
            existing[(old.enterprise_id, old.year, old.quarter)] = old
    changes = Changes()
    for r in rows:
        e = enterprises.get(r["credit_code"] or "")
        if e is None or r["year"] is None:
            continue
        values = {name: r[name] for name in FIGURE_FIELDS}
        try:  # the same rule as the page's figure_record
            figure_values_rule({n: values[n] for n in FIGURE_FIELDS[:-1]})
        except ValidationError as exc:
            ctx.problems_of(r.number, exc, "revenue")
            continue
        quarter = r["quarter"] or 0
        f: EnterpriseFigure | None = existing.get((e.pk, r["year"], quarter))
        if (f is None or differs(f, values)) and not may_change(ctx, r, e.pk):
            continue
        if f is None:
            f = EnterpriseFigure(enterprise_id=e.pk, year=r["year"], quarter=quarter, **values)
            ctx.model_problems(r.number, f)  # e.g. more digits than the column holds
            changes.new.append(f)
        elif apply_values(f, values):
            ctx.model_problems(r.number, f)
            changes.changed.append(f)
    return changes


def _figure_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    return save_changes(ctx, EnterpriseFigure, changes, FIGURE_FIELDS)


# ---------------------------------------------------------------------------------- 产品管线
PRODUCT_COLUMNS = [
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, required=True, width=22),
    wb.Column("企业名称", "enterprise_name", wb.text(200), width=30),
    wb.Column("产品名称", "name", wb.text(200), required=True, width=24),
    wb.Column("产品类别", "kind", wb.choice(ProductKind), required=True, width=12),
    wb.Column("分类", "category", wb.text(60), width=14),
    wb.Column("适应症/用途", "indication", wb.text(200), width=24),
    wb.Column("当前阶段", "phase", wb.choice(ProductPhase), required=True, width=16),
    wb.Column("阶段日期", "reached_on", wb.date, required=True, kind="date", width=12),
    wb.Column("注册证号", "registration_no", wb.text(60), width=20),
]
PRODUCT_FIELDS = ["kind", "category", "indication", "phase", "registration_no"]


def _product_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = Product.objects.filter(
        enterprise__in=Enterprise.objects.visible_to(user).filter(district=region)
    ).order_by("enterprise__name", "name", "pk")
    reached = {
        (m.product_id, m.phase): m.reached_on
        for m in ProductMilestone.objects.filter(product__in=qs).only("product_id", "phase", "reached_on")
    }
    for p in qs.select_related("enterprise"):
        yield [
            p.enterprise.credit_code,
            p.enterprise.name,
            p.name,
            wb.label_of(ProductKind, p.kind),
            p.category,
            p.indication,
            wb.label_of(ProductPhase, p.phase),
            reached.get((p.pk, p.phase)),
            p.registration_no,
        ]


def _product_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    enterprises = resolve_enterprises(ctx, rows)
    first_seen(ctx, rows, lambda r: (r["credit_code"], r["name"]), "name")
    existing: dict[tuple[int, str], Product] = {}
    for chunk in wb.chunks([e.pk for e in enterprises.values()]):
        for old in Product.objects.filter(enterprise_id__in=chunk):
            existing[(old.enterprise_id, old.name)] = old
    milestones: set[tuple[int, str]] = set()
    last_reached: dict[int, dt.date] = {}
    for chunk in wb.chunks([p.pk for p in existing.values()]):
        for product_id, phase, day in ProductMilestone.objects.filter(product__in=chunk).values_list(
            "product_id", "phase", "reached_on"
        ):
            milestones.add((product_id, phase))
            last_reached[product_id] = max(day, last_reached.get(product_id, day))
    changes = Changes()
    for r in rows:
        e = enterprises.get(r["credit_code"] or "")
        if e is None or not r["kind"] or not r["phase"]:
            continue
        values = {name: r[name] or "" for name in PRODUCT_FIELDS}
        p: Product | None = existing.get((e.pk, r["name"]))
        moves = p is not None and (p.pk, r["phase"]) not in milestones
        try:  # the same rule as the page's product_create / product_advance
            if p is None or r["phase"] == p.phase:
                product_phase_rule(kind=r["kind"], phase=r["phase"])
            else:
                product_phase_rule(
                    kind=r["kind"],
                    phase=r["phase"],
                    current_phase=p.phase,
                    reached_on=r["reached_on"] if moves else None,
                    last_reached_on=last_reached.get(p.pk),
                )
        except ValidationError as exc:
            ctx.problems_of(r.number, exc, "phase")
            continue
        if (p is None or moves or differs(p, values)) and not may_change(ctx, r, e.pk):
            continue
        if p is None:
            p = Product(enterprise_id=e.pk, name=r["name"], **values)
            ctx.model_problems(r.number, p, exclude=["enterprise"])
            changes.new.append(p)
            changes.extra.append((p, r["phase"], r["reached_on"]))
        else:
            if apply_values(p, values):
                ctx.model_problems(r.number, p)
                changes.changed.append(p)
            if (p.pk, r["phase"]) not in milestones:
                changes.extra.append((p, r["phase"], r["reached_on"]))
    return changes


def _product_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    result = save_changes(ctx, Product, changes, PRODUCT_FIELDS)
    milestones = [
        ProductMilestone(product_id=p.pk, phase=phase, reached_on=day) for p, phase, day in changes.extra
    ]
    wb.fast_create_with_history(ProductMilestone, milestones, user=ctx.user, reason=REASON)
    return result


ENTERPRISE_SHEETS = {
    "enterprises": wb.SheetSpec(
        "enterprises",
        "企业名录",
        ENTERPRISE_COLUMNS,
        _enterprise_export,
        _enterprise_prepare,
        _enterprise_save,
    ),
    "honours": wb.SheetSpec(
        "honours", "企业资质", HONOUR_COLUMNS, _honour_export, _honour_prepare, _honour_save
    ),
    "figures": wb.SheetSpec(
        "figures", "企业经济指标", FIGURE_COLUMNS, _figure_export, _figure_prepare, _figure_save
    ),
    "products": wb.SheetSpec(
        "products", "产品管线", PRODUCT_COLUMNS, _product_export, _product_prepare, _product_save
    ),
}


def register_enterprise_sheets() -> None:
    for spec in ENTERPRISE_SHEETS.values():
        wb.register_sheet(spec)
