"""Exports, imports with row-level validation, and round trips (bioplan/reports/spreadsheets.py)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from bioplan.plans.models import Task
from bioplan.reports import spreadsheets as sheets
from bioplan.tracking import services
from bioplan.tracking.models import Observation

pytestmark = pytest.mark.django_db


def _edit(content: bytes, edits: dict[tuple[int, int], object]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    for (row, col), value in edits.items():
        ws.cell(row=row, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(title: str, rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_target_table_has_status_and_forecast(tracked) -> None:
    ws = load_workbook(io.BytesIO(sheets.export_targets_xlsx(plan=tracked.plan))).active
    header = [c.value for c in ws[1]]
    assert header == sheets.TARGET_COLUMNS
    row = [c.value for c in ws[2]]
    assert row[:2] == ["T01", "工业总产值"]
    assert row[header.index("状态")] == "绿"
    assert row[header.index("预测")].startswith("按当前年均增速8%")


def test_task_table_round_trips_unchanged(world) -> None:
    content = sheets.export_tasks_xlsx(plan=world.plan)
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[2]] == ["1", "壮大创新药产业", None, "区经委", "区科委"]
    summary = sheets.import_tasks_xlsx(plan=world.plan, file=content, user=world.office)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)


def test_task_table_edit_in_excel_then_import(world) -> None:
    content = sheets.export_tasks_xlsx(plan=world.plan)
    edited = _edit(content, {(3, 5): "区经委", (4, 1): "3", (4, 2): "加强人才支撑", (4, 4): "区人社局"})
    summary = sheets.import_tasks_xlsx(plan=world.plan, file=edited, user=world.office)
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    task2 = Task.objects.get(plan=world.plan, number="2")
    assert sorted((a.department.name, a.role) for a in task2.assignments.all()) == [
        ("区科委", "lead"),
        ("区经委", "co"),
    ]
    assert Task.objects.get(plan=world.plan, number="3").assignments.get().department.name == "区人社局"
    # Exported again, the edited sheet imports unchanged.
    again = sheets.import_tasks_xlsx(
        plan=world.plan, file=sheets.export_tasks_xlsx(plan=world.plan), user=world.office
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_task_import_names_every_wrong_row_and_saves_nothing(world) -> None:
    content = _sheet(
        "任务分解表",
        [
            sheets.TASK_COLUMNS,
            ["1", "壮大创新药产业（改）", "", "区经委", ""],
            ["", "无序号", "", "区经委", ""],
            ["1", "重复序号", "", "区经委", ""],
            ["4", "", "", "", "区科委"],
            ["5", "两处", "", "区经委", "区经委"],
        ],
    )
    with pytest.raises(sheets.SheetInvalid) as exc:
        sheets.import_tasks_xlsx(plan=world.plan, file=content, user=world.office)
    assert [(e.row, e.column, e.problem) for e in exc.value.errors] == [
        (3, "序号", "必填"),
        (4, "序号", "与第2行重复"),
        (5, "任务名称", "必填"),
        (5, "牵头部门", "必填"),
        (6, "配合部门", "区经委 同时列为牵头和配合"),
    ]
    assert str(exc.value.errors[0]) == "任务分解表 第3行 序号：必填"
    assert Task.objects.get(plan=world.plan, number="1").title == "壮大创新药产业"


def test_task_import_missing_column_and_not_xlsx(world) -> None:
    with pytest.raises(sheets.SheetInvalid) as exc:
        sheets.import_tasks_xlsx(
            plan=world.plan, file=_sheet("任务分解表", [["序号", "任务名称"]]), user=world.office
        )
    assert [e.column for e in exc.value.errors] == ["所属部分", "牵头部门", "配合部门"]
    with pytest.raises(sheets.SheetInvalid):
        sheets.import_tasks_xlsx(plan=world.plan, file=b"not a spreadsheet", user=world.office)


def test_liaison_cannot_import_tasks(world) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sheets.import_tasks_xlsx(
            plan=world.plan, file=sheets.export_tasks_xlsx(plan=world.plan), user=world.liaison_a
        )


def _figures(world) -> None:  # type: ignore[no-untyped-def]
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.observation_record(
        indicator=ind, region=world.region, year=2021, value=Decimal("137"), source="tax"
    )
    services.observation_record(
        indicator=ind,
        region=world.park,
        year=2022,
        quarter=1,
        value=Decimal("8.5"),
        source="stat_flash",
        note="快报",
    )


def test_figures_round_trip_unchanged_then_corrected(world) -> None:
    _figures(world)
    content = sheets.export_observations_xlsx(
        observations=Observation.objects.current_revisions().order_by("id")
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[2]] == ["工业总产值", "亿元", "甲区", 2021, 0, 137, "税务", None]
    summary = sheets.import_observations_xlsx(file=content, user=world.office, region=world.region)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    edited = _edit(
        content,
        {
            (2, 6): 138.2,
            (4, 1): "工业总产值",
            (4, 2): "亿元",
            (4, 3): "甲园",
            (4, 4): 2022,
            (4, 5): 2,
            (4, 6): 9,
            (4, 7): "统计快报",
        },
    )
    summary = sheets.import_observations_xlsx(file=edited, user=world.office, region=world.region)
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert Observation.objects.filter(year=2021).count() == 2  # the old value stays as revision 1
    assert Observation.objects.current_revisions().get(year=2021).value == Decimal("138.2")


def test_figure_import_names_every_wrong_row_and_saves_nothing(world) -> None:
    services.indicator_get_or_create(name="工业总产值", unit="亿元")
    content = _sheet(
        "指标数据",
        [
            sheets.FIGURE_COLUMNS,
            ["工业总产值", "亿元", "甲区", 2021, 0, 137, "税务", ""],
            ["工业产值", "亿元", "乙区", 1990, 5, "约140", "传闻", ""],
            ["工业总产值", "亿元", "甲区", 2021, 0, 136, "税务", ""],
        ],
    )
    with pytest.raises(sheets.SheetInvalid) as exc:
        sheets.import_observations_xlsx(file=content, user=world.office, region=world.region)
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [
        ("指标数据", 3, "指标"),
        ("指标数据", 3, "范围"),
        ("指标数据", 3, "年度"),
        ("指标数据", 3, "季度"),
        ("指标数据", 3, "数值"),
        ("指标数据", 3, "来源"),
        ("指标数据", 4, "数值"),
    ]
    assert exc.value.errors[-1].problem == "与第2行是同一指标、范围、期间和来源"
    assert Observation.objects.count() == 0


def test_a_task_sheet_over_its_row_limit_is_refused_before_any_row_is_read(world) -> None:
    rows = [sheets.TASK_COLUMNS] + [[str(n), f"任务{n}", "", "区经委", ""] for n in range(1, 2002)]
    with pytest.raises(sheets.SheetInvalid) as exc:
        sheets.import_tasks_xlsx(plan=world.plan, file=_sheet("任务分解表", rows), user=world.office)
    assert [e.problem for e in exc.value.errors] == [
        "工作表“任务分解表”有2,001行数据，超过每次导入的上限2,000行，请拆分为多个文件分批导入"
    ]
    assert not Task.objects.filter(plan=world.plan, title__startswith="任务").exists()


def test_exported_formula_text_imports_back_as_typed(world) -> None:
    content = _sheet(
        "任务分解表",
        [sheets.TASK_COLUMNS, ["1", '\'=HYPERLINK("http://x","点")', "", "区经委", ""]],  # as exported
    )
    sheets.import_tasks_xlsx(plan=world.plan, file=content, user=world.office)
    exported = load_workbook(io.BytesIO(sheets.export_tasks_xlsx(plan=world.plan))).active
    assert (
        exported.cell(2, 2).value == '\'=HYPERLINK("http://x","点")' and exported.cell(2, 2).data_type == "s"
    )
    again = sheets.import_tasks_xlsx(
        plan=world.plan, file=sheets.export_tasks_xlsx(plan=world.plan), user=world.office
    )
    assert (again.created, again.updated) == (0, 0)
    assert Task.objects.get(plan=world.plan, number="1").title == '=HYPERLINK("http://x","点")'
