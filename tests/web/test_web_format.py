"""bioplan_format filters: exact strings, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from bioplan.web.templatetags.bioplan_format import comparator_symbol, level_badge, pct, qty, status_badge


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("160.00"), "160"),
        (Decimal("62.30"), "62.3"),
        (Decimal("0.000120"), "0.00012"),
        (Decimal("1E+2"), "100"),
        (Decimal("-0.00"), "0"),
        (Decimal("-3.50"), "-3.5"),
        (2025, "2025"),
        (1234567, "1234567"),
        (0, "0"),
        (0.1, "0.1"),
        (12345.5, "12345.5"),
        ("62.30", "62.3"),
        (None, "—"),
        ("", "—"),
        ("约", "约"),
    ],
)
def test_qty_prints_plain_digits_without_trailing_zeros_or_separators(value: object, expected: str) -> None:
    assert qty(value) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("3.14159"), 2, "3.14"),
        (Decimal("2.005"), 2, "2.01"),
        (Decimal("160.004"), 2, "160"),
        (Decimal("99.96"), "1", "100"),
        (Decimal("5"), 2, "5"),
    ],
)
def test_qty_with_places_rounds_half_up_then_strips_zeros(
    value: Decimal, places: object, expected: str
) -> None:
    assert qty(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.953, "95.3%"),
        (Decimal("0.953"), "95.3%"),
        (1, "100%"),
        (0.5, "50%"),
        (Decimal("0.12345"), "12.3%"),
        (Decimal("1.2"), "120%"),
        (Decimal("-0.0001"), "0%"),
        (None, "—"),
    ],
)
def test_pct_shows_a_ratio_as_percent_with_one_decimal(value: object, expected: str) -> None:
    assert pct(value) == expected


def test_pct_with_places_keeps_that_many_decimals() -> None:
    assert pct(Decimal("0.12345"), 2) == "12.35%"
    assert pct(Decimal("0.953"), 0) == "95%"


@pytest.mark.parametrize(
    ("comparator", "expected"),
    [(">", "＞"), (">=", "≥"), ("=", ""), ("range", "~"), ("<", "＜"), ("<=", "≤"), (None, "")],
)
def test_comparator_symbol_maps_every_contract_comparator(comparator: str | None, expected: str) -> None:
    assert comparator_symbol(comparator) == expected


def test_level_badge_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert level_badge("floor") == '<span class="badge bg-teal-lt bp-level bp-level-floor">确保</span>'
        assert (
            level_badge("stretch") == '<span class="badge bg-blue-lt bp-level bp-level-stretch">力争</span>'
        )


def test_level_badge_in_english() -> None:
    with translation.override("en"):
        assert level_badge("floor") == '<span class="badge bg-teal-lt bp-level bp-level-floor">Must</span>'
        assert (
            level_badge("stretch") == '<span class="badge bg-blue-lt bp-level bp-level-stretch">Strive</span>'
        )


def test_level_badge_for_no_level_is_empty() -> None:
    assert level_badge(None) == ""
    assert level_badge("") == ""


def test_status_badge_carries_text_shape_and_colour_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert status_badge("green") == (
            '<span class="badge bg-green text-green-fg bp-status bp-status-green" title="进度正常">'
            '<span aria-hidden="true">●</span> 绿</span>'
        )
        assert status_badge("yellow") == (
            '<span class="badge bg-yellow text-yellow-fg bp-status bp-status-yellow" title="进度滞后">'
            '<span aria-hidden="true">▲</span> 黄</span>'
        )
        assert status_badge("red") == (
            '<span class="badge bg-red text-red-fg bp-status bp-status-red" title="严重滞后">'
            '<span aria-hidden="true">■</span> 红</span>'
        )


def test_status_badge_in_english() -> None:
    with translation.override("en"):
        html = status_badge("red")
    assert "> Red</span>" in html
    assert 'title="Off track"' in html


def test_status_badge_for_no_status_is_a_grey_dash() -> None:
    with translation.override("zh-hans"):
        assert status_badge(None) == (
            '<span class="badge bg-secondary-lt bp-status bp-status-none" title="未评估">—</span>'
        )


def test_filters_work_from_a_template() -> None:
    template = Template(
        "{% load bioplan_format %}{{ c|comparator_symbol }}{{ v|qty }}{{ u }} {{ r|pct }} {{ s|status_badge }}"
    )
    with translation.override("zh-hans"):
        html = template.render(
            Context({"c": ">=", "v": Decimal("160.00"), "u": "亿元", "r": 0.953, "s": "green"})
        )
    assert html.startswith('≥160亿元 95.3% <span class="badge bg-green')
    assert "&lt;" not in html  # the badge is marked safe, not escaped
