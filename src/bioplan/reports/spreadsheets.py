"""Spreadsheets of the plans: the target table, the 任务分解表 and figures as .xlsx, and imports of the
任务分解表 and of figures with row-level validation — column declarations and bulk services only; reading,
the header and blank rules, cell parsers and formula-safe writing are bioplan.sheets'.

An import checks every row first. If any row is wrong nothing is saved and `SheetInvalid` lists
every wrong row as (sheet, row number, column, problem). Exported sheets import back unchanged:
export → edit in Excel → import round-trips, and unchanged rows change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bioplan.core.models import Region, User
from bioplan.plans.choices import AssignmentRole
from bioplan.plans.models import Plan, Task
from bioplan.plans.services import TASK_CREATED, TASK_UNCHANGED, TASK_UPDATED, task_save
from bioplan.sheets.cells import CellError, cell_text, choice, integer, text
from bioplan.sheets.read import SheetTooLarge, SheetUnreadable, parse_cells, read_sheet
from bioplan.sheets.spec import Column, ParsedRow, RowProblem
from bioplan.sheets.write import new_workbook, write_cells
from bioplan.tracking import services as tracking_services
from bioplan.tracking.choices import Source
from bioplan.tracking.models import Indicator, Observation
from bioplan.tracking.progress import STATUS_LABELS
from bioplan.tracking.selectors import target_statuses

TASK_SHEET = "任务分解表"
TASK_COLUMNS = ["序号", "任务名称", "所属部分", "牵头部门", "配合部门"]
FIGURE_SHEET = "指标数据"
FIGURE_COLUMNS = ["指标", "单位", "范围", "年度", "季度", "数值", "来源", "备注"]
TARGET_SHEET = "目标表"
TARGET_COLUMNS = [
    "编号",
    "指标",
    "类型",
    "目标值",
    "上限",
    "单位",
    "比较",
    "年份",
    "确保/力争",
    "范围",
    "基数",
    "基期",
    "实际",
    "序时进度",
    "完成率",
    "状态",
    "预测",
]
_SPLIT = re.compile(r"[、，,；;\n]+")
_NUMBER_LENGTH = Task._meta.get_field("number").max_length or 10
_VALUE_FIELD = Observation._meta.get_field("value")
# Rows one upload may hold: a district's 任务分解表 has tens to hundreds of tasks; a figures sheet a
# few thousand figures. Larger files are refused before any row is parsed.
MAX_ROWS = {TASK_SHEET: 2_000, FIGURE_SHEET: 50_000}


class SheetInvalid(Exception):
    """Raised when any row of an import is wrong; nothing has been saved."""

    def __init__(self, errors: list[RowProblem]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors[:20]))


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ export
def _num(v: Decimal | None) -> float | str:
    return "" if v is None else float(v)


def export_targets_xlsx(*, plan: Plan) -> bytes:
    """The target table of a plan with actual, expected, attainment and status colours."""
    buffer, wb = new_workbook()
    ws = wb.add_worksheet(TARGET_SHEET)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    fills = {
        "绿": wb.add_format({"bg_color": "#C6EFCE"}),
        "黄": wb.add_format({"bg_color": "#FFEB9C"}),
        "红": wb.add_format({"bg_color": "#FFC7CE"}),
    }
    write_cells(ws, 0, TARGET_COLUMNS, formats=dict.fromkeys(range(len(TARGET_COLUMNS)), head))
    for r, ts in enumerate(target_statuses(plans=[plan]), start=1):
        t, ev = ts.target, ts.evaluation
        status = STATUS_LABELS.get(ev.status, ev.status) if ts.bound else "未关联"
        write_cells(
            ws,
            r,
            [
                t.code,
                t.metric,
                t.get_kind_display(),
                _num(t.value),
                _num(t.value_max),
                t.unit,
                t.comparator,
                t.year or "",
                t.get_level_display() if t.level else "",
                t.scope,
                _num(t.baseline_value),
                t.baseline_year or "",
                _num(ev.actual),
                _num(ev.expected),
                "" if ev.attainment is None else float(ev.attainment),
                status,
                ev.forecast.sentence if ev.forecast else "",
            ],
            formats={15: fills[status]} if status in fills else None,
        )
    ws.set_column(1, 1, 36)
    ws.set_column(16, 16, 60)
    ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


def export_tasks_xlsx(*, plan: Plan) -> bytes:
    """The 任务分解表 of a plan: number, title, section, lead and co-operating departments."""
    buffer, wb = new_workbook()
    ws = wb.add_worksheet(TASK_SHEET)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    write_cells(ws, 0, TASK_COLUMNS, formats=dict.fromkeys(range(len(TASK_COLUMNS)), head))
    tasks = (
        plan.tasks.select_related("section").prefetch_related("assignments__department").order_by("position")
    )
    for r, task in enumerate(tasks, start=1):
        assigned = sorted(task.assignments.all(), key=lambda a: a.position)
        write_cells(
            ws,
            r,
            [
                task.number,
                task.title,
                task.section.title if task.section else "",
                "、".join(a.department.name for a in assigned if a.role == AssignmentRole.LEAD),
                "、".join(a.department.name for a in assigned if a.role != AssignmentRole.LEAD),
            ],
        )
    ws.set_column(1, 1, 50)
    ws.set_column(3, 4, 30)
    wb.close()
    return buffer.getvalue()


def export_observations_xlsx(*, observations: Iterable[Observation]) -> bytes:
    """Figures (current revisions) in the import layout."""
    buffer, wb = new_workbook()
    ws = wb.add_worksheet(FIGURE_SHEET)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    write_cells(ws, 0, FIGURE_COLUMNS, formats=dict.fromkeys(range(len(FIGURE_COLUMNS)), head))
    for r, o in enumerate(observations, start=1):
        write_cells(
            ws,
            r,
            [
                o.indicator.name,
                o.indicator.unit,
                o.region.name,
                o.year,
                o.quarter,
                float(o.value),
                o.get_source_display(),
                o.note,
            ],
        )
    ws.set_column(0, 0, 36)
    wb.close()
    return buffer.getvalue()


# ------------------------------------------------------------------------------ import helpers
_department_name = text(100)


def _departments(value: Any) -> list[str]:
    """Department names separated by 、，,；; or line breaks."""
    return [_department_name(d) for d in _SPLIT.split(cell_text(value)) if d.strip()]


def _figure_value(value: Any) -> Decimal:
    """A figure as written (not rounded): what the column stores, 20 digits, 4 after the point."""
    try:
        number = Decimal(cell_text(value).replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{cell_text(value)}”不是数字") from None
    if not number.is_finite():
        raise CellError(f"“{cell_text(value)}”不是数字")
    try:
        _VALUE_FIELD.run_validators(number)
    except ValidationError as exc:
        raise CellError("；".join(exc.messages)) from None
    return number


TASK_SPEC = [
    Column("序号", "number", text(_NUMBER_LENGTH), required=True),
    Column("任务名称", "title", text(300), required=True),
    Column("所属部分", "section", text(200), present=True),  # stored cut to 200: longer never round-trips
    Column("牵头部门", "leads", _departments, required=True),
    Column("配合部门", "cos", _departments, present=True),
]
FIGURE_SPEC = [
    Column("指标", "indicator", text(200), required=True),
    Column("单位", "unit", text(50), present=True),
    Column("范围", "scope", text(100), required=True),
    Column("年度", "year", integer(2000, 2100), required=True),
    Column("季度", "quarter", integer(0, 4), present=True),
    Column("数值", "value", _figure_value, required=True),
    Column("来源", "source", choice(Source), required=True),
    Column("备注", "note", text(300, multiline=True), present=True),
]


def _parse(
    file: IO[bytes] | bytes, sheet: str, columns: list[Column]
) -> tuple[list[ParsedRow], list[RowProblem]]:
    """Read the sheet (the one framework's sheet choice, header and blank rules, row limit) and parse
    every cell; unreadable or too large files are one problem."""
    try:
        found = read_sheet(file if isinstance(file, bytes) else file.read(), sheet, max_rows=MAX_ROWS[sheet])
    except (SheetUnreadable, SheetTooLarge) as exc:
        return [], [RowProblem(sheet, 0, "", str(exc))]
    return parse_cells(found.name, found.rows, columns)


def _invalid(errors: list[RowProblem], columns: list[Column]) -> SheetInvalid:
    order = {c.header: i for i, c in enumerate(columns)}
    return SheetInvalid(sorted(errors, key=lambda e: (e.row, order.get(e.column, len(order)))))


# ------------------------------------------------------------------------------ 任务分解表
def import_tasks_xlsx(*, plan: Plan, file: IO[bytes] | bytes, user: User | None = None) -> ImportSummary:
    """Update a plan's tasks and their departments from a 任务分解表; all rows or none. The file is
    read and checked outside any transaction; only a sheet without a problem is saved, in one."""
    from django.core.exceptions import PermissionDenied

    if user is not None and not Plan.objects.editable_by(user).filter(pk=plan.pk).exists():
        raise PermissionDenied("只有本区产业办公室可以导入任务分解表。")  # before reading the file
    rows, errors = _parse(file, TASK_SHEET, TASK_SPEC)
    seen: dict[str, int] = {}
    for r in rows:
        number = r["number"]
        if number and number in seen:
            errors.append(RowProblem(TASK_SHEET, r.number, "序号", f"与第{seen[number]}行重复"))
        elif number:
            seen[number] = r.number
        both = set(r["leads"] or []) & set(r["cos"] or [])
        if both:
            errors.append(
                RowProblem(TASK_SHEET, r.number, "配合部门", f"{'、'.join(sorted(both))} 同时列为牵头和配合")
            )
    if errors:
        raise _invalid(errors, TASK_SPEC)
    return _save_tasks(plan=plan, rows=rows, user=user)


@transaction.atomic
def _save_tasks(*, plan: Plan, rows: list[ParsedRow], user: User | None) -> ImportSummary:
    summary = ImportSummary()
    for r in rows:
        _task, outcome = task_save(
            plan=plan,
            number=r["number"],
            title=r["title"],
            section_title=r["section"] or "",
            leads=r["leads"],
            cos=r["cos"] or [],
            user=user,
            reason="任务分解表导入",
        )
        summary.created += outcome == TASK_CREATED
        summary.updated += outcome == TASK_UPDATED
        summary.unchanged += outcome == TASK_UNCHANGED
    return summary


# ------------------------------------------------------------------------------ figures
def import_observations_xlsx(
    *, file: IO[bytes] | bytes, user: User | None, region: Region, simulated: bool = False
) -> ImportSummary:
    """Record figures from a sheet (指标, 单位, 范围, 年度, 季度, 数值, 来源, 备注); all rows or none.

    The file is read and checked outside any transaction (so a large upload holds no lock while it
    is parsed); only a sheet without a problem is saved. A row equal to the current figure changes
    nothing; a different value is recorded as a correction."""
    rows, errors = _parse(file, FIGURE_SHEET, FIGURE_SPEC)
    sheet = FIGURE_SHEET
    indicators = {(i.name, i.unit): i for i in Indicator.objects.all()}
    scopes = {r.name: r for r in Region.objects.filter(Q(pk=region.pk) | Q(parent=region))}
    seen: dict[tuple[Any, ...], int] = {}
    parsed: list[tuple[Any, ...]] = []
    bad_cells = {e.row for e in errors}
    for r in rows:
        ok = r.number not in bad_cells
        indicator = indicators.get((r["indicator"], r["unit"] or ""))
        if r["indicator"] and indicator is None:
            errors.append(
                RowProblem(sheet, r.number, "指标", f"未知指标“{r['indicator']}（{r['unit'] or ''}）”")
            )
            ok = False
        scope = scopes.get(r["scope"])
        if r["scope"] and scope is None:
            errors.append(
                RowProblem(sheet, r.number, "范围", f"“{r['scope']}”不是{region.name}或其下属园区/街镇")
            )
            ok = False
        if not ok:
            continue
        quarter = r["quarter"] or 0
        key = (indicator.pk, scope.pk, r["year"], quarter, r["source"])  # type: ignore[union-attr]
        if key in seen:
            errors.append(
                RowProblem(sheet, r.number, "数值", f"与第{seen[key]}行是同一指标、范围、期间和来源")
            )
            continue
        seen[key] = r.number
        parsed.append((indicator, scope, r["year"], quarter, r["value"], r["source"], r["note"] or ""))
    if errors:
        raise _invalid(errors, FIGURE_SPEC)
    return _save_observations(parsed=parsed, scopes=list(scopes.values()), user=user, simulated=simulated)


@transaction.atomic
def _save_observations(
    *, parsed: list[tuple[Any, ...]], scopes: list[Region], user: User | None, simulated: bool
) -> ImportSummary:
    summary = ImportSummary()
    current = {
        (o.indicator_id, o.region_id, o.year, o.quarter, o.source): o.value
        for o in Observation.objects.current_revisions().filter(month=0, region__in=scopes)
    }
    for indicator, scope, year, quarter, value, source, note in parsed:
        old = current.get((indicator.pk, scope.pk, year, quarter, source))
        if old is not None and old == value:
            summary.unchanged += 1
            continue
        tracking_services.observation_record(
            indicator=indicator,
            region=scope,
            year=year,
            quarter=quarter,
            value=value,
            source=source,
            note=note,
            user=user,
            simulated=simulated,
        )
        if old is None:
            summary.created += 1
        else:
            summary.updated += 1
    return summary
