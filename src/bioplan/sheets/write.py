"""Writing .xlsx: every export goes through `write_cells`, which writes text as text (never as a
formula) through `formula_safe`, numbers as numbers and dates as dates."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import xlsxwriter

from bioplan.sheets.cells import formula_safe

if TYPE_CHECKING:
    from bioplan.core.models import Region
    from bioplan.sheets.spec import SheetSpec


def new_workbook(*, constant_memory: bool = False) -> tuple[io.BytesIO, Any]:
    """An in-memory xlsxwriter workbook and its buffer (read `buffer.getvalue()` after `close()`).
    Automatic conversions are off: a string is never turned into a number, a formula or a link."""
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "constant_memory": constant_memory,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "remove_timezone": True,  # aware datetimes are written as local wall time
    }
    return buffer, xlsxwriter.Workbook(buffer, options)


def write_cells(
    sheet: Any,
    row: int,
    values: Sequence[Any],
    *,
    date_format: Any = None,
    formats: dict[int, Any] | None = None,
) -> None:
    """Write one row from column 0: None and "" stay empty, bool as 是/否, numbers as numbers,
    dates as dates (with `date_format`), everything else as formula-safe text."""
    for col, value in enumerate(values):
        fmt = (formats or {}).get(col)
        if value is None or value == "":
            if fmt is not None:
                sheet.write_blank(row, col, None, fmt)
            continue
        if isinstance(value, bool):
            sheet.write_string(row, col, "是" if value else "否", fmt)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), fmt)
        elif isinstance(value, dt.date):
            day = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
            sheet.write_datetime(row, col, day, fmt or date_format)
        else:
            sheet.write_string(row, col, formula_safe(str(value)), fmt)


def export_workbook(spec: SheetSpec, *, user: Any, region: Region) -> bytes:
    """A registry sheet as .xlsx bytes: a header row (required columns in red) and one row per record."""
    buffer, book = new_workbook(constant_memory=True)
    sheet = book.add_worksheet(spec.title)
    head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    head_required = book.add_format(
        {"bold": True, "bg_color": "#E8EEF7", "border": 1, "font_color": "#C00000"}
    )
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, column in enumerate(spec.columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header, head_required if column.required else head)
    sheet.freeze_panes(1, 0)
    for r, values in enumerate(spec.export_rows(user, region), start=1):
        write_cells(sheet, r, values, date_format=date_format)
    book.close()
    return buffer.getvalue()
