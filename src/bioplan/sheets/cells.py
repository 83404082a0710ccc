"""Cells: the one blank rule, the cell parsers every sheet declares its columns with, and the
formula-injection guard every export writes text through.

A parser takes the cell as the reader returns it (str, int, float, bool, date/datetime or None is
never passed: blank cells are handled before) and returns the Python value, or raises `CellError`
with the Chinese message shown to the official.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the official."""


# ------------------------------------------------------------------------------ formula injection
# A spreadsheet program treats text starting with one of these as a formula (OWASP "CSV injection");
# tab and carriage return are stripped by some programs, exposing what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """`value` with a leading apostrophe when it starts like a formula, so Excel, WPS and LibreOffice
    show it as text and never evaluate it (also after the cell is edited or saved as .csv)."""
    # Text already starting with apostrophes before a formula gets one more, so imports can undo it.
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def formula_unsafe(value: str) -> str:
    """The inverse of `formula_safe` for imports, so an exported sheet imports back unchanged."""
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS) else value


# ---------------------------------------------------------------------------------------- blanks
BLANKS = frozenset({"", "-", "—", "/", "无", "N/A", "n/a"})


def is_blank(value: Any) -> bool:
    """The one blank rule of every sheet: an empty cell, spaces, or a placeholder (- — / 无 N/A)."""
    return value is None or (isinstance(value, str) and value.strip() in BLANKS)


def cell_text(value: Any) -> str:
    """A cell as stripped text: 12.0 → "12", "'=x" (an exported guard) → "=x", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formula_unsafe(str(value).strip())


# --------------------------------------------------------------------------------------- parsers
# Any control character or lone surrogate: a cheap first look before core.validation's exact rule.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text(max_length: int, *, multiline: bool = False) -> Callable[[Any], str]:
    """Text of at most `max_length` characters, without control characters (core.validation's
    rule: a multi-line text keeps tab and line breaks)."""
    from bioplan.core.validation import validate_multiline_text, validate_text

    check = validate_multiline_text if multiline else validate_text

    def parse(value: Any) -> str:
        s = cell_text(value)
        if len(s) > max_length:
            raise CellError(f"超过{max_length}个字")
        if _CONTROL.search(s):
            try:
                check(s)
            except ValidationError as exc:
                raise CellError(exc.messages[0]) from None
        return s

    return parse


def decimal(places: int = 2, minimum: Decimal | None = Decimal(0)) -> Callable[[Any], Decimal]:
    quantum = Decimal(1).scaleb(-places)

    def parse(value: Any) -> Decimal:
        try:
            if isinstance(value, float):
                number = Decimal(repr(value))
            else:
                number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError(f"“{value}”不是数字") from None
        if not number.is_finite():
            raise CellError(f"“{value}”不是数字")
        if minimum is not None and number < minimum:
            raise CellError(f"不能小于{minimum}")
        try:
            return number.quantize(quantum)
        except InvalidOperation:  # more digits than a decimal holds (e.g. 1e30 to 2 places)
            raise CellError(f"“{value}”超出可保存的范围") from None

    return parse


def integer(minimum: int = 0, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(f"“{value}”不是整数") from None
        # Checked before int(): int(Decimal("1e999999999")) would take minutes and gigabytes.
        if not number.is_finite() or number.adjusted() > 18:
            raise CellError(f"“{value}”不是整数" if not number.is_finite() else f"“{value}”超出可保存的范围")
        if number != number.to_integral_value():
            raise CellError(f"“{value}”不是整数")
        n = int(number)
        if n < minimum or (maximum is not None and n > maximum):
            raise CellError(f"应在{minimum}到{maximum}之间" if maximum is not None else f"不能小于{minimum}")
        return n

    return parse


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial day number
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    m = _DATE_RE.match(str(value).strip())
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise CellError(f"“{value}”不是日期（如 2024-03-31）")


def boolean(value: Any) -> bool:
    s = str(value).strip().upper()
    if s in {"是", "Y", "YES", "TRUE", "1", "1.0", "√"}:
        return True
    if s in {"否", "N", "NO", "FALSE", "0", "0.0", "×"}:
        return False
    raise CellError(f"“{value}”应为“是”或“否”")


def choice(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """A choice written as its Chinese label (or its code)."""
    by_label = {str(c.label): c.value for c in choices if c.value}
    by_value = {c.value for c in choices}
    labels = "、".join(by_label)

    def parse(value: Any) -> str:
        s = str(value).strip()
        if s in by_label:
            return by_label[s]
        if s in by_value:
            return s
        raise CellError(f"“{s}”不是可选值（{labels}）")

    return parse


_LIST_SPLIT = re.compile(r"[、,，;；/\s]+")


def choice_list(choices: type[models.TextChoices]) -> Callable[[Any], list[str]]:
    one = choice(choices)

    def parse(value: Any) -> list[str]:
        return [one(part) for part in _LIST_SPLIT.split(str(value).strip()) if part]

    return parse


def label_of(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value else ""


def labels_of(choices: type[models.TextChoices], values: list[str]) -> str:
    return "、".join(label_of(choices, v) for v in values)
