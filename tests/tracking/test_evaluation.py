"""A target's actual, expected, status and forecast from plain figures (tracking/evaluation.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bioplan.tracking.evaluation import (
    TargetInput,
    annual_values,
    evaluate_target,
    latest_period,
    parse_period,
    quarters_from_months,
    value_at,
)
from bioplan.tracking.progress import GREEN, RED, UNKNOWN, YELLOW

# A base: 62.3亿元 in 2020, 85.2亿元 in 2023 (11 % a year).
BASE = TargetInput(
    kind="level", value=D("85.2"), unit="亿元", year=2023, baseline_value=D("62.3"), baseline_year=2020
)


def test_parse_period() -> None:
    assert parse_period("2024") == (2024, 0)
    assert parse_period("2024q2") == (2024, 2)
    for bad in ("0Q1", "2024Q0", "2024Q5", "2024Q-1", "1999", "2101", "24Q1", "2024-Q1", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_annual_values_from_quarters_by_aggregation() -> None:
    q = {(2021, i): D(v) for i, v in zip((1, 2, 3, 4), ("10", "20", "30", "40"), strict=True)}
    assert annual_values(q, "sum") == {2021: D("100")}
    assert annual_values(q, "last") == {2021: D("40")}
    assert annual_values(q, "average") == {2021: D("25")}
    assert annual_values({(2021, 1): D("1")}, "sum") == {}
    assert annual_values({(2021, 0): D("7"), (2021, 1): D("1")}, "sum") == {2021: D("7")}


def test_complete_quarters_from_monthly_figures_by_aggregation() -> None:
    months = {(2024, m): D(m) for m in range(1, 8)}  # January–July: Q1 and Q2 complete, Q3 not
    assert quarters_from_months(months, "sum") == {(2024, 1): D("6"), (2024, 2): D("15")}
    assert quarters_from_months(months, "average") == {(2024, 1): D("2"), (2024, 2): D("5")}
    assert quarters_from_months(months, "last") == {(2024, 1): D("3"), (2024, 2): D("6")}
    assert quarters_from_months({(2024, 1): D(1), (2024, 3): D(3)}, "sum") == {}


def test_value_at_sums_flows_year_to_date() -> None:
    q = {(2022, 1): D("10"), (2022, 2): D("12")}
    assert value_at(q, (2022, 2), "sum") == (D("22"), 2)
    assert value_at(q, (2022, 2), "last") == (D("12"), 2)
    assert latest_period(q) == (2022, 2)
    assert latest_period(q, (2022, 1)) == (2022, 1)


def test_on_track_base_is_green() -> None:
    # Expected at 2021: 62.3 × (85.2/62.3)^(1/3) = 69.15; actual 69.2.
    ev = evaluate_target(BASE, {(2020, 0): D("62.3"), (2021, 0): D("69.2")})
    assert ev.expected is not None and ev.expected.quantize(D("0.01")) == D("69.15")
    assert ev.status == GREEN
    assert ev.attainment == (D("69.2") / D("85.2")).quantize(D("0.0001"))


def test_behind_base_is_yellow_then_red() -> None:
    assert evaluate_target(BASE, {(2021, 0): D("62")}).status == YELLOW  # 62/69.15 = 89.7 %
    assert evaluate_target(BASE, {(2021, 0): D("58")}).status == RED  # 83.9 %


def test_flow_year_to_date_compared_with_time_share_of_the_year() -> None:
    # 2022 expected 76.76 (compound); by Q2 half of it, 38.38; actual 20 + 18 = 38 → 99 % → green.
    ev = evaluate_target(BASE, {(2021, 0): D("69.2"), (2022, 1): D("20"), (2022, 2): D("18")})
    assert ev.as_of == (2022, 2)
    assert ev.actual == D("38")
    assert ev.expected is not None and ev.expected.quantize(D("0.01")) == D("38.38")
    assert ev.status == GREEN
    assert ev.note == "2022年1—2季度累计"


def test_growth_rate_target_compares_average_growth() -> None:
    rate = TargetInput(
        kind="growth_rate",
        value=D("11"),
        unit="%",
        year=2023,
        indicator_unit="亿元",
        baseline_value=D("62.3"),
        baseline_year=2020,
    )
    ev = evaluate_target(rate, {(2022, 0): D("74")})
    # (74/62.3)^(1/2) − 1 = 8.99 % against 11 % → 81.7 % → red.
    assert ev.actual is not None and ev.actual.quantize(D("0.01")) == D("8.99")
    assert ev.status == RED


def test_increment_of_a_count_is_linear_from_the_baseline() -> None:
    inc = TargetInput(
        kind="increment", value=D("10"), unit="家", year=2023, aggregation="last", baseline_year=2020
    )
    ev = evaluate_target(inc, {(2020, 0): D("59"), (2021, 0): D("62"), (2022, 0): D("66")})
    # 7 new by 2022 against 10 × 2/3 = 6.67 expected → green; forecast 3.5 a year → 10.5 by 2023.
    assert ev.actual == D("7")
    assert ev.expected is not None and ev.expected.quantize(D("0.01")) == D("6.67")
    assert ev.status == GREEN
    assert ev.forecast is not None and ev.forecast.meets_target is True


def test_level_without_baseline_has_unknown_status_but_attainment() -> None:
    t = TargetInput(kind="level", value=D("160"), unit="亿元", year=2023, baseline_year=2020)
    ev = evaluate_target(t, {(2022, 0): D("140")})
    assert ev.status == UNKNOWN
    assert ev.attainment == D("0.875")


def test_baseline_taken_from_the_observed_baseline_year() -> None:
    t = TargetInput(kind="level", value=D("160"), unit="亿元", year=2023, baseline_year=2020)
    ev = evaluate_target(t, {(2020, 0): D("127"), (2021, 0): D("137"), (2022, 0): D("148")})
    assert ev.baseline == D("127")
    assert ev.status == GREEN
    assert ev.forecast is not None
    assert ev.forecast.sentence.startswith(
        "按当前年均增速8%，2023年预计159.8亿元，低于目标160亿元；需年均增长8.1%"
    )


def test_custom_path_set_by_the_office() -> None:
    t = TargetInput(
        kind="level",
        value=D("160"),
        unit="亿元",
        year=2023,
        baseline_value=D("127"),
        baseline_year=2020,
        path="custom",
        custom={"2021": D("150")},
    )
    assert evaluate_target(t, {(2021, 0): D("140")}).status == YELLOW  # 140/150 = 93 %


def test_no_figures_gives_unknown() -> None:
    ev = evaluate_target(BASE, {})
    assert (ev.status, ev.actual, ev.forecast) == (UNKNOWN, None, None)


def test_a_finished_target_is_judged_on_its_own_year_even_when_asked_about_a_later_one() -> None:
    values = {(2020, 0): D("62.3"), (2023, 0): D("85.0"), (2024, 0): D("60"), (2024, 2): D("31")}
    ev = evaluate_target(BASE, values)
    assert (ev.as_of, ev.actual, ev.status) == ((2023, 0), D("85.0"), GREEN)
    assert [y for y, _ in ev.actual_series] == [2020, 2023]
    for later in [(2024, 0), (2024, 2), (2025, 4)]:
        judged = evaluate_target(BASE, values, as_of=later)
        assert (judged.as_of, judged.actual, judged.status) == ((2023, 0), D("85.0"), GREEN)


def test_a_running_target_year_is_judged_on_its_latest_quarter() -> None:
    values = {(2020, 0): D("62.3"), (2022, 0): D("80"), (2023, 1): D("20"), (2023, 2): D("22")}
    ev = evaluate_target(BASE, values, as_of=(2023, 3))
    assert (ev.as_of, ev.actual) == ((2023, 2), D("42"))
    assert evaluate_target(BASE, values).as_of == (2023, 2)


def test_projects_reaching_full_output_after_the_last_figure_raise_the_forecast() -> None:
    from dataclasses import replace

    # 达产 in 2021 is already inside the 2021 figure; only 2022 and 2023 capacity is added.
    target = replace(BASE, capacity_by_year={2021: D(5), 2022: D(3), 2023: D("2.5")})
    figures = {(2020, 0): D("62.3"), (2021, 0): D("69.2")}

    with_capacity = evaluate_target(target, figures).forecast
    without = evaluate_target(BASE, figures).forecast

    assert with_capacity is not None and without is not None and without.projected is not None
    assert with_capacity.projected == without.projected + D("5.5")
    assert "计入新达产项目产值5.5亿元" in with_capacity.sentence


def test_a_growth_target_is_charted_as_rates_not_levels() -> None:
    rate = TargetInput(
        kind="growth_rate", value=D("8"), unit="%", year=2023, indicator_unit="亿元", baseline_year=2020
    )
    ev = evaluate_target(rate, {(2020, 0): D("100"), (2021, 0): D("110"), (2022, 0): D("115.5")})
    # 2021: 10 %; 2022: (115.5/100)^(1/2) − 1 = 7.47 %; the path is the 8 % rate each year.
    assert [(y, v.quantize(D("0.01"))) for y, v in ev.actual_series] == [
        (2021, D("10.00")),
        (2022, D("7.47")),
    ]
    assert ev.expected_series == [(2021, D("8")), (2022, D("8")), (2023, D("8"))]
    no_base = evaluate_target(rate, {(2021, 0): D("110"), (2022, 0): D("115.5")})
    assert (no_base.actual, no_base.actual_series) == (None, [])
