"""Property tests of the reports app's .xlsx imports (bioplan.reports.spreadsheets): the 任务分解表 and
the figures sheet (指标数据).

* Any workbook — arbitrary cells, missing, extra, reordered or duplicated columns, empty sheets,
  several sheets — either imports or raises SheetInvalid naming rows; nothing else escapes, and an
  invalid sheet leaves every table as it was.
* A valid generated 任务分解表 or figures sheet round-trips: import → export → import changes nothing,
  and the stored rows are the generated ones.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.tracking.conftest import World, world  # noqa: F401  (the tracking world fixture)
from tests.trust.rollback import rolled_back, row_counts

from bioplan.core.models import Department
from bioplan.plans.models import Assignment, Section, Task
from bioplan.reports import spreadsheets as sheets
from bioplan.tracking import services as tracking_services
from bioplan.tracking.choices import Source
from bioplan.tracking.models import Indicator, Observation

WITH_DB = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = [Task, Assignment, Section, Department, Observation, Indicator]

sheet_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32)]),
    max_size=30,
)
TRICKY = [
    "inf",
    "-inf",
    "nan",
    "sNaN",
    "1e9999",
    "1e999999999",
    "1e30",
    "-1e30",
    "9" * 40,
    "=SUM(A1:A3)",
    "#N/A",
    "2024.5",
    "2024",
    "0",
    "4",
    "5",
    "1",
    "12345678901",  # longer than a task number may be
    "区经委",
    "区科委、区经委",
    "区经委，区经委",
    "甲区",
    "甲园",
    "工业总产值",
    "亿元",
    "统计快报",
    "税务",
    "一、产业发展",
    " ",
    "—",
]
cells = st.one_of(
    st.none(),
    sheet_text,
    st.sampled_from(TRICKY),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(alphabet="任务甲乙", min_size=301, max_size=1200),
)


@st.composite
def workbooks(draw: st.DrawFn, title: str, columns: list[str]) -> list[tuple[str, list[list[Any]]]]:
    """Sheets of a workbook: the import's sheet (under its title or another) among empty ones, with
    its columns all, some, repeated, reordered or joined by unknown ones, and up to five rows."""
    chosen = list(columns) if draw(st.booleans()) else draw(st.lists(st.sampled_from(columns), max_size=8))
    chosen += draw(st.lists(sheet_text, max_size=2))
    chosen = draw(st.permutations(chosen))
    rows = draw(st.lists(st.lists(cells, min_size=len(chosen), max_size=len(chosen) + 1), max_size=5))
    main = [chosen, *rows] if chosen or draw(st.booleans()) else rows
    book = [
        (t, []) for t in draw(st.lists(st.sampled_from(["说明", "Sheet2", "空表"]), unique=True, max_size=2))
    ]
    book.insert(draw(st.integers(0, len(book))), (draw(st.sampled_from([title, "Sheet1"])), main))
    return book


def _xlsx(book_sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in book_sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except (ValueError, TypeError):  # values openpyxl refuses to write
        assume(False)
    return buffer.getvalue()


@WITH_DB
@given(data=st.data())
def test_any_task_sheet_imports_or_raises_sheet_invalid_and_writes_nothing(
    world: World,  # noqa: F811
    data: st.DataObject,
) -> None:
    file = _xlsx(data.draw(workbooks(sheets.TASK_SHEET, sheets.TASK_COLUMNS)))
    with rolled_back():
        before = row_counts(MODELS)
        try:
            sheets.import_tasks_xlsx(plan=world.plan, file=file, user=world.office)
        except sheets.SheetInvalid as exc:
            assert exc.errors and all(e.problem for e in exc.errors)
            assert row_counts(MODELS) == before


@WITH_DB
@given(data=st.data())
def test_any_figure_sheet_imports_or_raises_sheet_invalid_and_writes_nothing(
    world: World,  # noqa: F811
    data: st.DataObject,
) -> None:
    tracking_services.indicator_get_or_create(name="工业总产值", unit="亿元")
    file = _xlsx(data.draw(workbooks(sheets.FIGURE_SHEET, sheets.FIGURE_COLUMNS)))
    user = data.draw(st.sampled_from([world.office, world.liaison_a]))
    with rolled_back():
        before = row_counts(MODELS)
        try:
            sheets.import_observations_xlsx(file=file, user=user, region=world.region)
        except sheets.SheetInvalid as exc:
            assert exc.errors and all(e.problem for e in exc.errors)
            assert row_counts(MODELS) == before


# ------------------------------------------------------------------------------------ regressions
def _book(title: str, columns: list[str], *rows: list[Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_task_number_longer_than_ten_characters_is_a_row_error(world) -> None:  # noqa: F811
    file = _book(sheets.TASK_SHEET, sheets.TASK_COLUMNS, ["12345678901", "任务", "", "区经委", ""])
    with pytest.raises(sheets.SheetInvalid) as caught:
        sheets.import_tasks_xlsx(plan=world.plan, file=file, user=world.office)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "序号")]
    assert not Task.objects.filter(number="12345678901").exists()


@pytest.mark.parametrize("year", ["inf", "-inf", "1e999999999"])
def test_figure_year_that_is_not_a_finite_number_is_a_row_error(world, year) -> None:  # noqa: F811
    tracking_services.indicator_get_or_create(name="工业总产值", unit="亿元")
    file = _book(
        sheets.FIGURE_SHEET, sheets.FIGURE_COLUMNS, ["工业总产值", "亿元", "甲区", year, 0, 1, "税务", ""]
    )
    with pytest.raises(sheets.SheetInvalid) as caught:
        sheets.import_observations_xlsx(file=file, user=world.office, region=world.region)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "年度")]


@pytest.mark.parametrize("value", ["1e30", "12345678901234567"])
def test_figure_value_too_large_to_store_is_a_row_error(world, value) -> None:  # noqa: F811
    tracking_services.indicator_get_or_create(name="工业总产值", unit="亿元")
    file = _book(
        sheets.FIGURE_SHEET,
        sheets.FIGURE_COLUMNS,
        ["工业总产值", "亿元", "甲区", 2023, 0, "5", "税务", ""],
        ["工业总产值", "亿元", "甲区", 2024, 0, value, "税务", ""],
    )
    with pytest.raises(sheets.SheetInvalid) as caught:
        sheets.import_observations_xlsx(file=file, user=world.office, region=world.region)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "数值")]
    assert not Observation.objects.exists()  # the valid first row is not saved either


# ------------------------------------------------------------------------------------ round trips
task_titles = st.text(
    alphabet=st.characters(whitelist_categories=("Lo", "Nd"), max_codepoint=0x9FFF), min_size=1, max_size=60
)
departments = st.sampled_from(["区经委", "区科委", "区发改委", "华新镇", "区卫健委"])


@WITH_DB
@given(
    rows=st.lists(
        st.tuples(
            task_titles,
            st.sampled_from(["", "一、产业发展", "二、空间布局"]),
            st.lists(departments, min_size=1, max_size=2, unique=True),
            st.lists(departments, max_size=2, unique=True),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_valid_task_sheet_round_trips(world: World, rows: Any) -> None:  # noqa: F811
    lines = []
    for i, (title, section, leads, cos) in enumerate(rows, start=10):
        cos = [d for d in cos if d not in leads]
        lines.append([str(i), title, section, "、".join(leads), "、".join(cos)])
    with rolled_back():
        sheets.import_tasks_xlsx(
            plan=world.plan, file=_book(sheets.TASK_SHEET, sheets.TASK_COLUMNS, *lines), user=world.office
        )
        exported = openpyxl.load_workbook(io.BytesIO(sheets.export_tasks_xlsx(plan=world.plan)))
        stored = {
            r[0]: [c or "" for c in r] for r in exported.worksheets[0].iter_rows(min_row=2, values_only=True)
        }
        for line in lines:
            assert stored[line[0]] == line
        again = sheets.import_tasks_xlsx(
            plan=world.plan, file=sheets.export_tasks_xlsx(plan=world.plan), user=world.office
        )
        assert (again.created, again.updated) == (0, 0)


@WITH_DB
@given(
    figures=st.dictionaries(
        st.tuples(st.integers(2015, 2030), st.integers(0, 4), st.sampled_from(list(Source.values))),
        st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False),
        min_size=1,
        max_size=6,
    )
)
def test_a_valid_figure_sheet_round_trips(world: World, figures: Any) -> None:  # noqa: F811
    tracking_services.indicator_get_or_create(name="工业总产值", unit="亿元")
    labels = dict(Source.choices)
    lines = [
        ["工业总产值", "亿元", "甲区", year, quarter, str(value), str(labels[source]), ""]
        for (year, quarter, source), value in figures.items()
    ]
    with rolled_back():
        first = sheets.import_observations_xlsx(
            file=_book(sheets.FIGURE_SHEET, sheets.FIGURE_COLUMNS, *lines),
            user=world.office,
            region=world.region,
        )
        assert (first.created, first.updated) == (len(figures), 0)
        stored = {(o.year, o.quarter, o.source): o.value for o in Observation.objects.current_revisions()}
        assert stored == figures
        exported = sheets.export_observations_xlsx(
            observations=Observation.objects.current_revisions().select_related("indicator", "region")
        )
        again = sheets.import_observations_xlsx(file=exported, user=world.office, region=world.region)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(figures))
