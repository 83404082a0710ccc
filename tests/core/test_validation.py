"""The shared validation layer (bioplan/core/validation.py): text, years, periods, integer ranges, ids;
and that every model's full_clean() runs it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import DepartmentFactory, PlanFactory

from bioplan.core import validation
from bioplan.core.models import User


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("区经委", False, []),
        ("a\x00b", False, ["U+0000"]),
        ("a\x00b", True, ["U+0000"]),
        ("a\tb\nc\r", True, []),
        ("a\tb", False, ["U+0009"]),
        ("a\x1bb\x7f\x85", True, ["U+001B", "U+007F", "U+0085"]),
        ("\ud800", True, ["U+D800"]),
    ],
)
def test_control_characters_are_found(text, multiline, found) -> None:
    assert validation.control_characters(text, multiline=multiline) == found


def test_year_outside_2000_2100_is_refused_with_a_chinese_message() -> None:
    validation.validate_year(2000)
    validation.validate_year(2100)
    for bad in (1999, 2101, 70000):
        with pytest.raises(ValidationError) as exc:
            validation.validate_year(bad)
        assert f"年份 {bad} 不在 2000–2100 之间" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024", (2024, 0)), ("2024Q2", (2024, 2)), (" 2024q4 ", (2024, 4))],
)
def test_periods_are_parsed(text, expected) -> None:
    assert validation.parse_period(text) == expected


@pytest.mark.parametrize("text", ["xx", "0Q1", "2024Q0", "2024Q5", "2024Q", "9" * 23, "２０２４", "1999", ""])
def test_malformed_periods_raise_validation_errors(text) -> None:
    with pytest.raises(ValidationError):
        validation.parse_period(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("0", None),
        ("9" * 23, None),
        ("²", None),
        ("-3", None),
        ("", None),
        (None, None),
        ("1e3", None),
    ],
)
def test_ids_from_query_strings(text, expected) -> None:
    assert validation.parse_id(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("2024", 2024), ("70000", None), ("1999", None), ("x", None)])
def test_years_from_query_strings(text, expected) -> None:
    assert validation.parse_year(text) == expected


@pytest.mark.django_db
def test_full_clean_refuses_nul_in_a_one_line_field_and_keeps_line_breaks_in_a_multi_line_one() -> None:
    from bioplan.tracking.models import Indicator

    indicator = Indicator(
        name="产业\x00规模", unit="亿元", aggregation="sum", description="第一行\n第二行\t（制表）"
    )
    with pytest.raises(ValidationError) as exc:
        indicator.full_clean()
    assert set(exc.value.message_dict) == {"name"}
    assert "U+0000" in exc.value.message_dict["name"][0]
    indicator.name = "产业规模"
    indicator.description = "第一行\x00"
    with pytest.raises(ValidationError) as exc:
        indicator.full_clean()
    assert set(exc.value.message_dict) == {"description"}


@pytest.mark.django_db
def test_full_clean_refuses_a_year_beyond_2100_on_every_database() -> None:
    plan = PlanFactory()
    plan.period_end = 32000  # fits a PostgreSQL smallint, so only the year rule refuses it
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert list(exc.value.message_dict) == ["period_end"]


@pytest.mark.django_db
def test_users_are_checked_too() -> None:
    department = DepartmentFactory()
    user = User(username="u1", first_name="张\x00三", department=department, region=department.region)
    user.set_password("x")
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert list(exc.value.message_dict) == ["first_name"]


def test_integers_beyond_the_postgresql_column_are_refused() -> None:
    from bioplan.tracking.models import ProgressReport

    field = ProgressReport._meta.get_field("version")  # PositiveIntegerField: 0..2147483647
    assert validation.field_errors(field, 2**31)
    assert validation.field_errors(field, -1)
    assert not validation.field_errors(field, 5)


def test_decimals_beyond_max_digits_are_refused_by_the_field() -> None:
    from bioplan.tracking.models import Observation

    field = Observation._meta.get_field("value")
    with pytest.raises(ValidationError):
        field.clean(Decimal("1" * 40), None)
