"""One validation layer for the values every way in accepts: text, years, periods, numbers, ids.

Pages (forms), the API (serializers), spreadsheet imports, plan JSON imports and `bioplan restore`
all end in the same checks, so a value one of them accepts fits every database the others use:

* **text** holds no NUL and no other control character (PostgreSQL refuses NUL in text; the others
  break exports and screens). A one-line field (CharField) allows none; a multi-line field
  (TextField) keeps tab and line breaks. Lone surrogates (from JSON ``"\\ud800"``) cannot be stored
  as UTF-8 and count as control characters here;
* **years** of plans, targets, figures and cycles lie in 2000–2100 (`validate_year`, a field
  validator); **quarters** are 1–4 (0 = the whole year where a field allows it);
* **integers** fit the column on every database: the ranges are PostgreSQL's (SQLite stores any
  64-bit value, so a backup that SQLite took would not restore onto PostgreSQL otherwise);
* **decimals** fit max_digits/decimal_places and are finite (Django's DecimalValidator).

`TimeStampedModel.clean_fields` calls `field_errors` for every field of every model, so
`full_clean()` — which every service runs through `core.services.audited_save` — catches all of it;
ModelForms and services report the message on the field. `parse_id`, `parse_year` and
`parse_period` read query-string values: out of range or malformed gives None or a ValidationError
with a Chinese message, never an exception that becomes a 500.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 2000, 2100
ID_MAX = 2**63 - 1  # BigAutoField (DEFAULT_AUTO_FIELD) on PostgreSQL
# Tab and line breaks are the only control characters a multi-line text keeps.
MULTILINE_ALLOWED = frozenset("\t\n\r")


def control_characters(text: str, *, multiline: bool) -> list[str]:
    """The control characters (and lone surrogates) in `text` that a field may not hold, as U+XXXX."""
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    found: list[str] = []
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs"):
            code = f"U+{ord(ch):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_text(value: str) -> None:
    """A one-line text: no control character at all."""
    _check_text(value, multiline=False)


def validate_multiline_text(value: str) -> None:
    """A multi-line text: tab and line breaks allowed, no other control character."""
    _check_text(value, multiline=True)


def _check_text(value: str, *, multiline: bool) -> None:
    if not isinstance(value, str):
        return
    bad = control_characters(value, multiline=multiline)
    if bad:
        raise ValidationError(
            _("文本含有不可见的控制字符（%(chars)s），请删除后再保存。"),
            code="control_character",
            params={"chars": "、".join(bad[:3])},
        )


def validate_year(value: int | None) -> None:
    """A year of a plan, target, figure or cycle: 2000–2100."""
    if value is None:
        return
    if not YEAR_MIN <= int(value) <= YEAR_MAX:
        raise ValidationError(
            _("年份 %(value)s 不在 %(min)s–%(max)s 之间。"),
            code="year_range",
            params={"value": value, "min": YEAR_MIN, "max": YEAR_MAX},
        )


def validate_quarter(value: int | None) -> None:
    """A quarter: 1–4."""
    if value is None:
        return
    if not 1 <= int(value) <= 4:
        raise ValidationError(_("季度 %(value)s 应为 1–4。"), code="quarter_range", params={"value": value})


def _integer_range(field: models.Field[Any, Any]) -> tuple[int | None, int | None]:
    """The range PostgreSQL allows for an integer column (Django's table of backend ranges)."""
    return BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))


def field_errors(field: models.Field[Any, Any], value: Any) -> list[ValidationError]:
    """What is wrong with `value` for `field` beyond Django's own field checks: control characters in
    text, integers outside the column's range on PostgreSQL."""
    if value is None or value == "":
        return []
    errors: list[ValidationError] = []
    if isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
        try:
            _check_text(value, multiline=isinstance(field, models.TextField))
        except ValidationError as exc:
            errors.append(exc)
    elif isinstance(field, models.IntegerField) and isinstance(value, int) and not isinstance(value, bool):
        low, high = _integer_range(field)
        if (low is not None and value < low) or (high is not None and value > high):
            errors.append(
                ValidationError(
                    _("数值 %(value)s 超出允许范围（%(low)s–%(high)s）。"),
                    code="integer_range",
                    params={"value": value, "low": low, "high": high},
                )
            )
    return errors


def model_field_errors(
    instance: models.Model, exclude: Iterable[str] = ()
) -> dict[str, list[ValidationError]]:
    """`field_errors` for every concrete field of `instance` not in `exclude`."""
    skip = set(exclude)
    out: dict[str, list[ValidationError]] = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip or field.attname in skip:
            continue
        errs = field_errors(field, getattr(instance, field.attname))
        if errs:
            out[field.name] = errs
    return out


# ------------------------------------------------------------------------- query-string values
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: "²".isdigit() is True but int() refuses it


def parse_id(text: str | None) -> int | None:
    """A row id from a query string, or None when absent, malformed or beyond any stored id."""
    if not text or not _DIGITS.fullmatch(text.strip()):
        return None
    value = int(text)
    return value if 0 < value <= ID_MAX else None


def parse_year(text: str | None) -> int | None:
    """A year 2000–2100 from a query string, or None."""
    if not text or not re.fullmatch(r"[0-9]{4}", text.strip()):
        return None
    value = int(text)
    return value if YEAR_MIN <= value <= YEAR_MAX else None


_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:\s*[Qq](?P<quarter>[0-9]))?")


def parse_period(text: str) -> tuple[int, int]:
    """'2024' → (2024, 0); '2024Q2' → (2024, 2). Anything else raises ValidationError in Chinese."""
    m = _PERIOD.fullmatch(text.strip())
    if m is None:
        raise ValidationError(
            _("期间“%(text)s”无法识别，应写作 2024 或 2024Q2。"), code="period", params={"text": text[:20]}
        )
    year, quarter = int(m["year"]), int(m["quarter"] or 0)
    validate_year(year)
    if m["quarter"] is not None:
        validate_quarter(quarter)
    return year, quarter


# ------------------------------------------------------------------------- structured documents
YEAR_KEYS = frozenset({"year", "baseline_year", "period_start", "period_end"})


def document_problems(value: Any, where: str = "") -> list[str]:
    """What a structured document (a plan JSON's dataclasses, dicts, lists) holds that no column may:
    control characters in any text (a document's texts are one-line), a year outside 2000–2100 in a
    field named like one. Each problem names its place, e.g. ``tasks[3].title: …``."""
    problems: list[str] = []
    if isinstance(value, str):
        bad = control_characters(value, multiline=False)
        if bad:
            problems.append(f"{where or 'text'}: 含有不可见的控制字符（{'、'.join(bad[:3])}）")
    elif isinstance(value, dict):
        for key, item in value.items():
            problems += _year_problem(str(key), item, f"{where}.{key}" if where else str(key))
            problems += document_problems(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            problems += document_problems(item, f"{where}[{i}]")
    elif hasattr(value, "__dataclass_fields__"):
        return document_problems({name: getattr(value, name) for name in value.__dataclass_fields__}, where)
    return problems


def _year_problem(key: str, value: Any, where: str) -> list[str]:
    if key in YEAR_KEYS and isinstance(value, int) and not YEAR_MIN <= value <= YEAR_MAX:
        return [f"{where}: 年份 {value} 不在 {YEAR_MIN}–{YEAR_MAX} 之间"]
    return []
