"""Spreadsheets (Excel 导入导出): the one framework every app's sheets use.

An app declares its columns (`Column`: header, key, cell parser) and, for a registry sheet, a
`SheetSpec` with `export_rows` and `prepare`/`save` (its bulk service). This package owns the rules
that must not differ between sheets:

* cells (`cells.py`): what counts as blank, how text, numbers, dates, yes/no and choices are read,
  and `formula_safe`, the formula-injection guard every export writes text through;
* reading (`read.py`): which sheet of a workbook is read, the header rule (spaces and the `*` of a
  required column ignored), a row limit per sheet, parsing every cell with its row number, and the
  all-or-nothing import of a registry sheet;
* writing (`write.py`): the .xlsx of a sheet (xlsxwriter) with text written as text, never as a
  formula;
* bulk inserts with their history rows (`bulk.py`).

Domain rules (a 高新技术企业 certificate's validity, 上市 needs a board, …) are not here: they live in
the owning app's services, and the app's bulk service calls the same functions as its single-record
service (docs/architecture.md, "One write path").
"""

from bioplan.sheets.bulk import chunks, fast_create_with_history
from bioplan.sheets.cells import (
    CellError,
    boolean,
    choice,
    choice_list,
    date,
    decimal,
    formula_safe,
    integer,
    is_blank,
    label_of,
    labels_of,
    text,
)
from bioplan.sheets.read import (
    ImportOutcome,
    SheetTooLarge,
    SheetUnreadable,
    import_file,
    import_rows,
    normal_header,
    parse_rows,
    read_sheet,
)
from bioplan.sheets.spec import (
    Column,
    ImportContext,
    ParsedRow,
    ProgressCallback,
    RowProblem,
    SaveResult,
    SheetSpec,
    register_sheet,
    registered_sheets,
    sheet_spec,
)
from bioplan.sheets.write import export_workbook, new_workbook, write_cells

__all__ = [
    "CellError",
    "Column",
    "ImportContext",
    "ImportOutcome",
    "ParsedRow",
    "ProgressCallback",
    "RowProblem",
    "SaveResult",
    "SheetSpec",
    "SheetTooLarge",
    "SheetUnreadable",
    "boolean",
    "choice",
    "choice_list",
    "chunks",
    "date",
    "decimal",
    "export_workbook",
    "fast_create_with_history",
    "formula_safe",
    "import_file",
    "import_rows",
    "integer",
    "is_blank",
    "label_of",
    "labels_of",
    "new_workbook",
    "normal_header",
    "parse_rows",
    "read_sheet",
    "register_sheet",
    "registered_sheets",
    "sheet_spec",
    "text",
    "write_cells",
]
