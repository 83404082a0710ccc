"""Property tests of the registry sheet imports (bioplan.sheets and the sheets of
enterprises, parks and projects).

* Every column's parser, given any cell value (text, huge text, numbers, NaN/∞, dates, times,
  booleans, formula text, Excel error text), returns a value or raises CellError — nothing else.
* Any sheet — arbitrary cells, missing, extra, reordered or duplicated columns, empty sheets, other
  sheets around it — imports or comes back with row problems, never an exception, and a sheet with
  problems leaves every table as it was (all rows or none).
* A valid generated 企业名录 round-trips: import → export → import changes nothing, and the export
  holds exactly the generated values.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.enterprises.factories import World, build_world, make_credit_code
from tests.trust.rollback import rolled_back, row_counts

from bioplan import sheets as wb
from bioplan.enterprises.choices import (
    FigureSource,
    HonourKind,
    HonourLevel,
    ListingBoard,
    ProductKind,
    ProductPhase,
    Segment,
)
from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product, ProductMilestone
from bioplan.parks.choices import DemandStatus, Facility, LandUse, ParcelStatus, SpaceStatus, SpaceType
from bioplan.parks.models import Building, FloorSpace, LandParcel, SpaceDemand
from bioplan.projects.choices import ProjectType
from bioplan.projects.models import Project, ProjectMilestone

PURE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WITH_DB = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KINDS = sorted(wb.registered_sheets())
MODELS = [
    Enterprise,
    Honour,
    EnterpriseFigure,
    Product,
    ProductMilestone,
    LandParcel,
    Building,
    FloorSpace,
    SpaceDemand,
    Project,
    ProjectMilestone,
]

# ------------------------------------------------------------------------------------ cell values
LABELS = sorted(
    {
        str(label)
        for choices in (
            FigureSource,
            HonourKind,
            HonourLevel,
            ListingBoard,
            ProductKind,
            ProductPhase,
            Segment,
            DemandStatus,
            Facility,
            LandUse,
            ParcelStatus,
            SpaceStatus,
            SpaceType,
            ProjectType,
        )
        for label in choices.labels
    }
)
PARK_NAMES = ["青浦生命科学园", "重固医疗器械园", "莘庄工业区", "不存在的园区"]
CREDIT_CODES = [make_credit_code(n) for n in range(1, 4)] + ["91310118MA1JL0000X", "123"]
TRICKY = [
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "sNaN",
    "-sNaN",
    "1e9999",
    "1e999999999",
    "-1e30",
    "1e30",
    "1E+400",
    "0.0000001",
    "9" * 40,
    "=SUM(A1:A3)",
    "=1/0",
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "是",
    "否",
    "√",
    "2024-02-30",
    "2024年3月1日",
    "0000-01-01",
    "1,000",
    "１２",
    "TRUE",
    " ",
    "—",
    "无",
    "N/A",
    "2024/13/01",
    "45000",
    "-0",
]
plausible = st.sampled_from(LABELS + PARK_NAMES + CREDIT_CODES + TRICKY)
# Text openpyxl can write (it refuses C0 control characters other than tab and newlines).
sheet_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32)]),
    max_size=30,
)
cells = st.one_of(
    st.none(),
    sheet_text,
    plausible,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.booleans(),
    st.text(alphabet="测试A1", min_size=301, max_size=3000),  # longer than any column allows
)


# Values some column accepts; a row made of them passes parsing, so the checks against the database
# and the saving run too (a big number, say, reaches the model's max_digits).
POOL = [
    *LABELS,
    *PARK_NAMES,
    *CREDIT_CODES,
    *["0", "1", "2", 3, 2.5, "100.5", "1e15", "1e20", "123456789012345678901", -5, 2023, 2024, 2100],
    *["2024-03-31", dt.date(2024, 1, 1), dt.date(2026, 6, 30), "是", "否", "1F", "1号楼", "甲企业"],
]


def _accepts(column: wb.Column, value: Any) -> bool:
    try:
        column.parse(value)
    except wb.CellError:
        return False
    return True


def valid_cells(column: wb.Column) -> st.SearchStrategy[Any]:
    accepted = [v for v in POOL if _accepts(column, v)]
    return st.sampled_from(accepted) if accepted else cells


# ---------------------------------------------------------------------------------- parsers alone
@pytest.mark.parametrize(
    "column",
    [c for kind in KINDS for c in wb.sheet_spec(kind).columns],
    ids=lambda c: c.key,
)
@PURE
@given(cell=cells)
def test_a_cell_parser_returns_a_value_or_a_cell_error(column: wb.Column, cell: Any) -> None:
    if wb.is_blank(cell):
        return  # parse_rows never hands a blank cell to a parser
    try:
        column.parse(cell)
    except wb.CellError as exc:
        assert str(exc)  # the official is told what is wrong


def test_integer_parser_refuses_huge_exponents_at_once() -> None:
    """'1e999999999' is a valid decimal; turning it into an int would take minutes and gigabytes."""
    parse = wb.integer(0, 4)
    for cell in ("1e999999999", "-1e999999999", "inf", "sNaN", float("inf")):
        with pytest.raises(wb.CellError):
            parse(cell)


def test_decimal_parser_refuses_numbers_too_large_to_store() -> None:
    parse = wb.decimal()
    for cell in ("1e30", 1e300, "1e9999", "9" * 40):
        with pytest.raises(wb.CellError):
            parse(cell)
    assert parse("123456789012345678.12") == Decimal("123456789012345678.12")


# ------------------------------------------------------------------------------------- whole sheets
@st.composite
def sheets(draw: st.DrawFn, kind: str) -> list[list[Any]]:
    """A header made from the sheet's own columns (some dropped, some repeated, extra ones, any
    order) and up to five rows of arbitrary cells; sometimes no header at all, or no rows."""
    headers = [c.header for c in wb.sheet_spec(kind).columns]
    columns = {c.header: c for c in wb.sheet_spec(kind).columns}
    if draw(st.booleans()):
        # Every column, in order, with cells each column accepts (mostly): rows reach the database.
        rows = draw(
            st.lists(
                st.tuples(
                    *[
                        valid_cells(c) | cells if i % 3 == 2 else valid_cells(c)
                        for i, c in enumerate(columns.values())
                    ]
                ).map(list),
                max_size=5,
            )
        )
        return [headers, *rows]
    chosen = draw(st.lists(st.sampled_from(headers), max_size=len(headers) + 3))
    if draw(st.booleans()):
        chosen = list(dict.fromkeys(headers))  # every column, so the rows get parsed
    chosen += draw(st.lists(sheet_text, max_size=2))  # unknown columns
    chosen = draw(st.permutations(chosen))
    if not chosen and draw(st.booleans()):
        return []
    rows = draw(
        st.lists(
            st.tuples(*[valid_cells(columns[h]) | cells if h in columns else cells for h in chosen]).map(
                list
            ),
            max_size=5,
        )
    )
    return [list(chosen), *rows]


@pytest.fixture
def registry(db: None) -> World:
    """The registry world with two enterprises of the district and one of another (known codes)."""
    world = build_world()
    for n, district in ((1, world.district), (2, world.district), (3, world.other_district)):
        Enterprise.objects.create(
            credit_code=make_credit_code(n), name=f"企业{n}", district=district, segment=Segment.values[-1]
        )
    return world


@pytest.mark.parametrize("kind", KINDS)
@WITH_DB
@given(data=st.data())
def test_any_sheet_imports_or_names_its_problems_and_writes_nothing_when_wrong(
    registry: World, kind: str, data: st.DataObject
) -> None:
    rows = data.draw(sheets(kind))
    user = data.draw(st.sampled_from([registry.office, registry.operator, registry.liaison]))
    with rolled_back():
        before = row_counts(MODELS)
        outcome = wb.import_rows(wb.sheet_spec(kind), rows, region=registry.district, user=user)
        if outcome.problems:
            assert row_counts(MODELS) == before
            assert all(isinstance(p, wb.RowProblem) and p.problem for p in outcome.problems)
        else:
            assert outcome.created + outcome.updated <= max(len(rows) - 1, 0)


def _xlsx(path: Path, sheets_in_book: list[tuple[str, list[list[Any]]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets_in_book:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


@WITH_DB
@given(data=st.data())
def test_any_workbook_file_imports_or_names_its_problems(
    registry: World, tmp_path: Path, data: st.DataObject
) -> None:
    """Through a real .xlsx file: the sheet among others, empty sheets, many sheets, or none of its name."""
    kind = data.draw(st.sampled_from(KINDS))
    spec = wb.sheet_spec(kind)
    rows = data.draw(sheets(kind))
    others = data.draw(
        st.lists(st.tuples(st.sampled_from(["Sheet1", "说明", "空表", "数据2"]), st.just([])), max_size=3)
    )
    titles = data.draw(st.sampled_from([spec.title, "Sheet1", "导入"]))
    book = [*others, (titles, rows)] if data.draw(st.booleans()) else [(titles, rows), *others]
    seen: set[str] = set()
    book = [(t, r) for t, r in book if not (t in seen or seen.add(t))]  # titles are unique in a workbook
    path = tmp_path / "sheet.xlsx"
    try:
        _xlsx(path, book)
    except (ValueError, TypeError) as exc:  # openpyxl refuses some values (e.g. ints past 2**63 as text)
        assume(not str(exc))
    with rolled_back():
        before = row_counts(MODELS)
        outcome = wb.import_file(spec, path, region=registry.district, user=registry.office)
        if outcome.problems:
            assert row_counts(MODELS) == before


# ------------------------------------------------------------------------------------ round trip
names = st.text(
    alphabet=st.characters(whitelist_categories=("Lo", "Lu", "Ll", "Nd"), max_codepoint=0x9FFF),
    min_size=1,
    max_size=40,
).filter(lambda s: not wb.is_blank(s))
segments = [s for s in Segment if s.value]


@st.composite
def enterprise_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    serials = draw(st.lists(st.integers(100, 10**9), min_size=1, max_size=6, unique=True))
    rows = []
    for n in serials:
        main = draw(st.sampled_from(segments))
        rows.append(
            {
                "统一社会信用代码": make_credit_code(n),
                "企业名称": draw(names),
                "所在园区": draw(st.sampled_from(["青浦生命科学园", "重固医疗器械园", None])),
                "注册地址": draw(st.none() | names),
                "主营领域": str(main.label),
                "其他领域": draw(st.lists(st.sampled_from(segments), unique=True, max_size=3)),
                "是否规上": draw(st.sampled_from(["是", "否"])),
                "成立日期": draw(st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))),
            }
        )
    return rows


def _as_sheet(rows: list[dict[str, Any]]) -> list[list[Any]]:
    headers = [c.header for c in wb.sheet_spec("enterprises").columns]
    out: list[list[Any]] = [headers]
    for r in rows:
        values = dict(r, 其他领域="、".join(str(s.label) for s in r["其他领域"]))
        out.append([values[h] for h in headers])
    return out


@WITH_DB
@given(rows=enterprise_rows())
def test_a_valid_enterprise_sheet_round_trips(registry: World, tmp_path_factory: Any, rows: Any) -> None:
    spec = wb.sheet_spec("enterprises")
    with rolled_back():
        first = wb.import_rows(spec, _as_sheet(rows), region=registry.district, user=registry.office)
        assert first.problems == [] and (first.created, first.updated) == (len(rows), 0)
        stored = {e.credit_code: e for e in Enterprise.objects.select_related("park")}
        for r in rows:
            e = stored[r["统一社会信用代码"]]
            assert (e.name, e.park.name if e.park else None) == (r["企业名称"], r["所在园区"])
            assert (e.address, str(Segment(e.segment).label)) == (r["注册地址"] or "", r["主营领域"])
            assert e.other_segments == [s.value for s in r["其他领域"]]
            assert (e.is_above_scale, e.founded_on) == (r["是否规上"] == "是", r["成立日期"])

        exported = wb.export_workbook(spec, user=registry.office, region=registry.district)
        path = Path(tmp_path_factory.mktemp("round")) / "企业名录.xlsx"
        path.write_bytes(exported)
        again = wb.import_file(spec, path, region=registry.district, user=registry.office)
        assert again.problems == [] and (again.created, again.updated) == (0, 0)
        sheet = wb.read_sheet(path, spec.title).rows
        assert len(sheet) == 1 + len(rows) + 2  # the fixture's two enterprises of the district too
        by_code = {r["统一社会信用代码"]: r for r in rows}
        for line in sheet[1:]:
            if line[0] in by_code:
                r = by_code.pop(line[0])
                assert line[1] == r["企业名称"] and (line[2] or None) == r["所在园区"]
        assert by_code == {}


def test_export_bytes_are_a_workbook_with_the_sheet_title(registry: World) -> None:
    for kind in KINDS:
        spec = wb.sheet_spec(kind)
        book = openpyxl.load_workbook(
            io.BytesIO(wb.export_workbook(spec, user=registry.office, region=registry.district))
        )
        assert book.sheetnames == [spec.title]
        assert [c.value for c in next(iter(book.worksheets[0].iter_rows(max_row=1)))] == [
            c.header for c in spec.columns
        ]
