"""Reading a sheet: which sheet of the workbook, the header rule, the row limit, parsing every cell
with its row number, and the all-or-nothing import of a registry sheet.

The workbook is read with python-calamine (Rust; 10× openpyxl on large sheets) from a path, bytes or
an open file. Any file calamine cannot read is `SheetUnreadable`; a sheet with more data rows than
its limit is `SheetTooLarge` — both carry the Chinese message shown to the official, and neither
ever reaches the database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction

from bioplan.sheets.cells import CellError, is_blank
from bioplan.sheets.spec import (
    Column,
    ImportContext,
    ParsedRow,
    ProgressCallback,
    RowProblem,
    SheetSpec,
    default_max_rows,
)

if TYPE_CHECKING:
    from bioplan.core.models import Region, User


class SheetUnreadable(ValueError):
    """The file is not a workbook calamine can read (not .xlsx/.xls/.ods, damaged, encrypted)."""


class SheetTooLarge(ValueError):
    """The sheet holds more data rows than one import may."""


@dataclass
class SheetRows:
    name: str  # the sheet read: the one called as asked, else the first
    rows: list[list[Any]]


def read_sheet(
    source: Path | str | bytes | IO[bytes], title: str, *, max_rows: int | None = None
) -> SheetRows:
    """All rows (header included) of the sheet called `title`, else of the first sheet.

    Raises SheetUnreadable for a file that is not a readable workbook and SheetTooLarge when the
    sheet has more than `max_rows` data rows (default BIOPLAN_SHEET_MAX_ROWS), checked on the
    sheet's size before any row becomes a Python object."""
    from python_calamine import CalamineWorkbook

    limit = max_rows or default_max_rows()
    try:
        if isinstance(source, bytes):
            book = CalamineWorkbook.from_filelike(io.BytesIO(source))
        elif isinstance(source, Path | str):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        if not book.sheet_names:
            raise SheetUnreadable("文件中没有工作表")
        name = title if title in book.sheet_names else book.sheet_names[0]
        sheet = book.get_sheet_by_name(name)
    except SheetUnreadable:
        raise
    except Exception as exc:  # calamine raises its own error types, and OSError/ValueError/zip errors
        raise SheetUnreadable(f"不是有效的 .xlsx 文件（{type(exc).__name__}）") from exc
    data_rows = max(sheet.height - 1, 0)
    if data_rows > limit:
        raise SheetTooLarge(
            f"工作表“{name}”有{data_rows:,}行数据，超过每次导入的上限{limit:,}行，请拆分为多个文件分批导入"
        )
    return SheetRows(name, [list(r) for r in sheet.to_python(skip_empty_area=False)])


def normal_header(value: Any) -> str:
    """The one header rule: spaces, line breaks and the `*` marking a required column are ignored."""
    return re.sub(r"[\s*＊]", "", str(value or ""))


def header_positions(
    sheet: str, header_row: Sequence[Any], columns: Sequence[Column]
) -> tuple[dict[str, int], list[RowProblem]]:
    """Where each column is (key → index) and a problem per missing column that must be there
    (required, or `present`: an absent optional column would otherwise blank what is stored)."""
    headers = [normal_header(h) for h in header_row]
    positions: dict[str, int] = {}
    problems: list[RowProblem] = []
    for column in columns:
        wanted = normal_header(column.header)
        if wanted in headers:
            positions[column.key] = headers.index(wanted)
        elif column.required or column.present:
            problems.append(RowProblem(sheet, 1, column.header, "缺少此列"))
    return positions, problems


def parse_cells(
    sheet: str, rows: list[list[Any]], columns: Sequence[Column], progress: ProgressCallback | None = None
) -> tuple[list[ParsedRow], list[RowProblem]]:
    """Map headers to columns and parse every non-blank row: (parsed rows, problems). A blank
    required cell is "必填"; a blank optional one is None; a cell its parser refuses is named."""
    if not rows:
        return [], [RowProblem(sheet, 1, "", "工作表为空")]
    positions, problems = header_positions(sheet, rows[0], columns)
    if problems:
        return [], problems
    parsed: list[ParsedRow] = []
    total = len(rows) - 1
    for index, raw in enumerate(rows[1:], start=2):
        if all(is_blank(v) for v in raw):
            continue
        values: dict[str, Any] = {}
        for column in columns:
            pos = positions.get(column.key)
            cell = raw[pos] if pos is not None and pos < len(raw) else None
            if is_blank(cell):
                if column.required:
                    problems.append(RowProblem(sheet, index, column.header, "必填"))
                values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(cell)
            except CellError as exc:
                problems.append(RowProblem(sheet, index, column.header, str(exc)))
                values[column.key] = None
        parsed.append(ParsedRow(index, values))
        if progress and index % 2000 == 0:
            progress(index - 1, total, "parse")
    return parsed, problems


@dataclass
class ImportOutcome:
    total: int
    problems: list[RowProblem]
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_rows(
    spec: SheetSpec, rows: list[list[Any]], ctx: ImportContext, progress: ProgressCallback | None = None
) -> list[ParsedRow]:
    """`parse_cells` for a registry sheet, recording the problems in `ctx`."""
    parsed, problems = parse_cells(spec.title, rows, spec.columns, progress)
    ctx.problems.extend(problems)
    return [] if problems and not parsed else parsed


def import_rows(
    spec: SheetSpec,
    rows: list[list[Any]],
    *,
    region: Region,
    user: User | None,
    progress: ProgressCallback | None = None,
) -> ImportOutcome:
    """Validate every row outside any transaction; when none has a problem, save them all in one
    transaction (all rows or none)."""
    ctx = ImportContext(spec=spec, region=region, user=user)
    total = max(len(rows) - 1, 0)
    parsed = parse_rows(spec, rows, ctx, progress)
    if ctx.problems:
        return ImportOutcome(total=total, problems=ctx.problems)
    if progress:
        progress(total, total, "check")
    plan = spec.prepare(ctx, parsed)
    if ctx.problems:
        return ImportOutcome(total=total, problems=sorted(ctx.problems, key=lambda p: p.row))
    if progress:
        progress(total, total, "save")
    with transaction.atomic():
        result = spec.save(ctx, plan)
    return ImportOutcome(total=total, problems=[], created=result.created, updated=result.updated)


def import_file(
    spec: SheetSpec,
    path: Path | str,
    *,
    region: Region,
    user: User | None,
    progress: ProgressCallback | None = None,
) -> ImportOutcome:
    """Read and import a registry sheet; raises SheetUnreadable or SheetTooLarge before any check."""
    sheet = read_sheet(path, spec.title, max_rows=spec.row_limit)
    return import_rows(spec, sheet.rows, region=region, user=user, progress=progress)
