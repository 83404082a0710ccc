"""Round-trip helpers: export a sheet, edit it as an official would with openpyxl, import it again."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

from bioplan.sheets import export_workbook, import_file, sheet_spec


def export_book(kind: str, user: Any, region: Any) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_workbook(sheet_spec(kind), user=user, region=region)))


def rows_of(book: openpyxl.Workbook) -> list[list[Any]]:
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def set_cell(book: openpyxl.Workbook, row: int, header: str, value: Any) -> None:
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.cell(
        row=row, column=headers.index(header) + 1
    ).value = value  # cell(value=None) would keep the old value


def append_row(book: openpyxl.Workbook, values: dict[str, Any]) -> None:
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.append([values.get(h) for h in headers])


def import_book(
    book: openpyxl.Workbook, kind: str, tmp_path: Path, user: Any, region: Any, progress: Any = None
) -> Any:
    path = tmp_path / f"{kind}.xlsx"
    book.save(path)
    return import_file(sheet_spec(kind), path, region=region, user=user, progress=progress)
