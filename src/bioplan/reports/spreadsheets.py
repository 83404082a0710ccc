"""Spreadsheets: the target table, the 任务分解表 and figures as .xlsx (xlsxwriter), and imports of the
任务分解表 and of figures (openpyxl) with row-level validation.

An import checks every row first. If any row is wrong nothing is saved and `SheetInvalid` lists
every wrong row as (sheet, row number, column, problem). Exported sheets import back unchanged:
export → edit in Excel → import round-trips, and unchanged rows change nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from openpyxl import load_workbook

from bioplan.core.models import Region, User
from bioplan.plans.choices import AssignmentRole
from bioplan.plans.models import Plan, Task
from bioplan.plans.services import TASK_CREATED, TASK_UNCHANGED, TASK_UPDATED, task_save
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
SOURCE_BY_LABEL = {str(label): value for value, label in Source.choices} | {v: v for v in Source.values}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}：{self.problem}"


class SheetInvalid(Exception):
    """Raised when any row of an import is wrong; nothing has been saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors[:20]))


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ export
def _workbook() -> tuple[io.BytesIO, Any]:
    buffer = io.BytesIO()
    return buffer, xlsxwriter.Workbook(buffer, {"in_memory": True})


def _num(v: Decimal | None) -> float | str:
    return "" if v is None else float(v)


def export_targets_xlsx(*, plan: Plan) -> bytes:
    """The target table of a plan with actual, expected, attainment and status colours."""
    buffer, wb = _workbook()
    ws = wb.add_worksheet(TARGET_SHEET)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    fills = {
        "绿": wb.add_format({"bg_color": "#C6EFCE"}),
        "黄": wb.add_format({"bg_color": "#FFEB9C"}),
        "红": wb.add_format({"bg_color": "#FFC7CE"}),
    }
    ws.write_row(0, 0, TARGET_COLUMNS, head)
    for r, ts in enumerate(target_statuses(plans=[plan]), start=1):
        t, ev = ts.target, ts.evaluation
        status = STATUS_LABELS.get(ev.status, ev.status) if ts.bound else "未关联"
        ws.write_row(
            r,
            0,
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
        )
        if status in fills:
            ws.write(r, 15, status, fills[status])
    ws.set_column(1, 1, 36)
    ws.set_column(16, 16, 60)
    ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


def export_tasks_xlsx(*, plan: Plan) -> bytes:
    """The 任务分解表 of a plan: number, title, section, lead and co-operating departments."""
    buffer, wb = _workbook()
    ws = wb.add_worksheet(TASK_SHEET)
    ws.write_row(0, 0, TASK_COLUMNS, wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1}))
    tasks = (
        plan.tasks.select_related("section").prefetch_related("assignments__department").order_by("position")
    )
    for r, task in enumerate(tasks, start=1):
        assigned = sorted(task.assignments.all(), key=lambda a: a.position)
        ws.write_row(
            r,
            0,
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
    buffer, wb = _workbook()
    ws = wb.add_worksheet(FIGURE_SHEET)
    ws.write_row(0, 0, FIGURE_COLUMNS, wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1}))
    for r, o in enumerate(observations, start=1):
        ws.write_row(
            r,
            0,
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
def _rows(
    file: IO[bytes] | bytes, sheet: str, columns: list[str]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    data = file if isinstance(file, bytes) else file.read()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not .xlsx
        return [], [RowError(sheet, 0, "", f"不是有效的 .xlsx 文件（{type(exc).__name__}）")]
    ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
    name = ws.title
    it = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(it, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        return [], [RowError(name, 1, c, "缺少此列") for c in missing]
    index = {c: header.index(c) for c in columns}
    out = []
    for n, values in enumerate(it, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {c: (values[i] if i < len(values) else None) for c, i in index.items()}
        out.append((n, row))
    wb.close()
    return out, []


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _int(v: Any, low: int, high: int) -> int | None:
    try:
        number = Decimal(_text(v))
    except InvalidOperation:
        return None
    # Infinity and 1e999999999 are decimals too; int() of them fails or takes minutes.
    if not number.is_finite() or number.adjusted() > 18:
        return None
    n = int(number)
    return n if low <= n <= high and number == n else None


# ------------------------------------------------------------------------------ 任务分解表
@transaction.atomic
def import_tasks_xlsx(*, plan: Plan, file: IO[bytes] | bytes, user: User | None = None) -> ImportSummary:
    """Update a plan's tasks and their departments from a 任务分解表; all rows or none."""
    from django.core.exceptions import PermissionDenied

    if user is not None and not Plan.objects.editable_by(user).filter(pk=plan.pk).exists():
        raise PermissionDenied("只有本区产业办公室可以导入任务分解表。")  # before reading the file
    rows, errors = _rows(file, TASK_SHEET, TASK_COLUMNS)
    sheet = TASK_SHEET
    seen: dict[str, int] = {}
    parsed = []
    for n, row in rows:
        number, title = _text(row["序号"]), _text(row["任务名称"])
        if not number:
            errors.append(RowError(sheet, n, "序号", "不能为空"))
        elif len(number) > _NUMBER_LENGTH:
            errors.append(RowError(sheet, n, "序号", f"超过{_NUMBER_LENGTH}个字"))
        elif number in seen:
            errors.append(RowError(sheet, n, "序号", f"与第{seen[number]}行重复"))
        else:
            seen[number] = n
        if not title:
            errors.append(RowError(sheet, n, "任务名称", "不能为空"))
        elif len(title) > 300:
            errors.append(RowError(sheet, n, "任务名称", "超过300字"))
        leads = [d.strip() for d in _SPLIT.split(_text(row["牵头部门"])) if d.strip()]
        cos = [d.strip() for d in _SPLIT.split(_text(row["配合部门"])) if d.strip()]
        if not leads:
            errors.append(RowError(sheet, n, "牵头部门", "至少填写一个牵头部门"))
        both = set(leads) & set(cos)
        if both:
            errors.append(RowError(sheet, n, "配合部门", f"{'、'.join(sorted(both))} 同时列为牵头和配合"))
        if any(len(d) > 100 for d in leads + cos):
            errors.append(RowError(sheet, n, "牵头部门", "部门名称超过100字"))
        if len(_text(row["所属部分"])) > 200:  # stored cut to 200, it would never import unchanged
            errors.append(RowError(sheet, n, "所属部分", "超过200字"))
        parsed.append((n, number, title, _text(row["所属部分"]), leads, cos))
    if errors:
        raise SheetInvalid(errors)

    summary = ImportSummary()
    for _n, number, title, section_title, leads, cos in parsed:
        _task, outcome = task_save(
            plan=plan,
            number=number,
            title=title,
            section_title=section_title,
            leads=leads,
            cos=cos,
            user=user,
            reason="任务分解表导入",
        )
        summary.created += outcome == TASK_CREATED
        summary.updated += outcome == TASK_UPDATED
        summary.unchanged += outcome == TASK_UNCHANGED
    return summary


# ------------------------------------------------------------------------------ figures
@transaction.atomic
def import_observations_xlsx(
    *, file: IO[bytes] | bytes, user: User | None, region: Region, simulated: bool = False
) -> ImportSummary:
    """Record figures from a sheet (指标, 单位, 范围, 年度, 季度, 数值, 来源, 备注); all rows or none.

    A row equal to the current figure changes nothing; a different value is recorded as a correction."""
    rows, errors = _rows(file, FIGURE_SHEET, FIGURE_COLUMNS)
    sheet = FIGURE_SHEET
    indicators = {(i.name, i.unit): i for i in Indicator.objects.all()}
    scopes = {r.name: r for r in Region.objects.filter(Q(pk=region.pk) | Q(parent=region))}
    seen: dict[tuple[Any, ...], int] = {}
    parsed: list[tuple[Any, ...]] = []
    for n, row in rows:
        ok = True
        indicator = indicators.get((_text(row["指标"]), _text(row["单位"])))
        if indicator is None:
            errors.append(
                RowError(sheet, n, "指标", f"未知指标“{_text(row['指标'])}（{_text(row['单位'])}）”")
            )
            ok = False
        scope = scopes.get(_text(row["范围"]))
        if scope is None:
            errors.append(
                RowError(sheet, n, "范围", f"“{_text(row['范围'])}”不是{region.name}或其下属园区/街镇")
            )
            ok = False
        year = _int(row["年度"], 2000, 2100)
        if year is None:
            errors.append(RowError(sheet, n, "年度", "应为2000—2100之间的年份"))
            ok = False
        quarter = 0 if _text(row["季度"]) == "" else _int(row["季度"], 0, 4)
        if quarter is None:
            errors.append(RowError(sheet, n, "季度", "应为0（全年）或1—4"))
            ok = False
        try:
            value = Decimal(_text(row["数值"]))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(RowError(sheet, n, "数值", f"“{_text(row['数值'])}”不是数字"))
            ok = False
        else:
            try:  # what the column stores: 20 digits, 4 after the point
                _VALUE_FIELD.run_validators(value)
            except ValidationError as exc:
                errors.append(RowError(sheet, n, "数值", "；".join(exc.messages)))
                ok = False
        source = SOURCE_BY_LABEL.get(_text(row["来源"]))
        if source is None:
            errors.append(
                RowError(sheet, n, "来源", f"应为{'、'.join(str(lbl) for _, lbl in Source.choices)}之一")
            )
            ok = False
        if ok:
            key = (indicator.pk, scope.pk, year, quarter, source)  # type: ignore[union-attr]
            if key in seen:
                errors.append(RowError(sheet, n, "数值", f"与第{seen[key]}行是同一指标、范围、期间和来源"))
                continue
            seen[key] = n
            parsed.append((indicator, scope, year, quarter, value, source, _text(row["备注"])[:300]))
    if errors:
        raise SheetInvalid(errors)
    summary = ImportSummary()
    current = {
        (o.indicator_id, o.region_id, o.year, o.quarter, o.source): o.value
        for o in Observation.objects.current_revisions().filter(month=0, region__in=scopes.values())
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
