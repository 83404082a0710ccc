"""Formatting filters for plan figures: ``{% load bioplan_format %}``.

They only format values computed elsewhere (selectors); none computes a status or a sum.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

EMPTY = "—"

COMPARATOR_SYMBOLS = {
    ">": "＞",
    ">=": "≥",
    "=": "",
    "range": "~",
    "<": "＜",
    "<=": "≤",
}


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        # repr gives the shortest string that round-trips, so 0.1 stays 0.1 rather than 0.1000000000000000055…
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    """A decimal as plain digits: no exponent, no trailing zeros, no thousands separators, no "-0"."""
    if number == 0:
        return "0"
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _places(arg: Any) -> int | None:
    if arg is None or arg == "":
        return None
    try:
        return max(int(arg), 0)
    except (TypeError, ValueError):
        return None


@register.filter
def qty(value: Any, places: Any = None) -> str:
    """A quantity without trailing zeros or separators: Decimal("160.00") → "160", 62.30 → "62.3", None → "—".

    ``{{ v|qty:2 }}`` rounds half-up to at most 2 decimal places first. Years print as "2025", never "2,025".
    Anything that is not a number is returned unchanged as text.
    """
    number = _to_decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    digits = _places(places)
    if digits is not None:
        number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return _plain(number)


@register.filter
def pct(value: Any, places: Any = 1) -> str:
    """A ratio as a percentage: 0.953 → "95.3%", 1 → "100%", None → "—"; ``{{ r|pct:2 }}`` keeps 2 places."""
    number = _to_decimal(value)
    if number is None:
        return EMPTY
    digits = _places(places)
    digits = 1 if digits is None else digits
    percent = (number * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return _plain(percent) + "%"


@register.filter
def comparator_symbol(value: Any) -> str:
    """The sign shown before a target value: ">" → "＞", ">=" → "≥", "=" → "", "range" → "~", "<" → "＜", "<=" → "≤"."""
    if value is None:
        return ""
    return COMPARATOR_SYMBOLS.get(str(value), str(value))


@register.filter
def level_badge(value: Any) -> SafeString | str:
    """A badge for a target's level: floor → 确保 (Must), stretch → 力争 (Strive); null → ""."""
    if value is None or value == "":
        return ""
    level = str(value)
    if level == "floor":
        return format_html(
            '<span class="badge bg-teal-lt bp-level bp-level-floor">{}</span>',
            pgettext("target level", "Must"),
        )
    if level == "stretch":
        return format_html(
            '<span class="badge bg-blue-lt bp-level bp-level-stretch">{}</span>',
            pgettext("target level", "Strive"),
        )
    return format_html('<span class="badge bg-secondary-lt bp-level">{}</span>', level)


@register.filter
def status_badge(value: Any) -> SafeString:
    """A traffic-light badge carrying its meaning as text too (for colour-blind readers).

    green → 绿, yellow → 黄, red → 红 (Green/Yellow/Red in English); None → a grey "—" (not assessed).
    """
    status = "" if value is None else str(value).lower()
    badges = {
        "green": ("bg-green text-green-fg", "●", pgettext("status", "Green"), _("On track")),
        "yellow": ("bg-yellow text-yellow-fg", "▲", pgettext("status", "Yellow"), _("Behind schedule")),
        "red": ("bg-red text-red-fg", "■", pgettext("status", "Red"), _("Off track")),
    }
    if status not in badges:
        return format_html(
            '<span class="badge bg-secondary-lt bp-status bp-status-none" title="{}">{}</span>',
            _("Not assessed"),
            EMPTY,
        )
    css, shape, text, title = badges[status]
    return format_html(
        '<span class="badge {} bp-status bp-status-{}" title="{}"><span aria-hidden="true">{}</span> {}</span>',
        css,
        status,
        title,
        shape,
        text,
    )
