"""Attainment, 序时进度, status and forecast on hand-computed cases (bioplan/tracking/progress.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from bioplan.tracking.progress import (
    COMPOUND,
    CUSTOM,
    DONE,
    GREEN,
    IN_PROGRESS,
    LATE,
    LINEAR,
    NOT_STARTED,
    RED,
    UNKNOWN,
    YELLOW,
    TaskReportFacts,
    Thresholds,
    attainment,
    default_path,
    expected_value,
    forecast,
    period_end,
    quarter_of,
    required_rate,
    status_for,
    task_status,
    trend_rate,
    trend_slope,
    year_to_date_expected,
)


def test_attainment_is_actual_over_target() -> None:
    assert attainment(D("152"), D("160")) == D("0.95")
    assert attainment(None, D("160")) is None
    assert attainment(D("1"), D("0")) is None


def test_period_end_places_quarters_on_the_year_scale() -> None:
    assert period_end(2024) == D("2024")
    assert period_end(2024, 4) == D("2024")
    assert period_end(2024, 2) == D("2023.5")
    assert period_end(2024, month=3) == D("2023.25")


def test_compound_expected_path_for_a_base() -> None:
    # 62.3 in 2020 to 85.2 in 2023: after one year 62.3 × (85.2/62.3)^(1/3) = 69.15.
    v = expected_value(baseline=D("62.3"), target=D("85.2"), baseline_time=2020, target_time=2023, at=2021)
    assert v.quantize(D("0.01")) == D("69.15")


def test_compound_expected_path_mid_year() -> None:
    # 127.01 → 160 over 3 years, at 2022Q2 (t = 1.5 years): 127.01 × (160/127.01)^0.5 = 142.55.
    v = expected_value(
        baseline=D("127.01"), target=D("160"), baseline_time=2020, target_time=2023, at=period_end(2022, 2)
    )
    assert v.quantize(D("0.01")) == D("142.55")


def test_linear_expected_path_for_counts() -> None:
    v = expected_value(
        baseline=D("10"), target=D("20"), baseline_time=2020, target_time=2023, at=2022, path=LINEAR
    )
    assert v.quantize(D("0.01")) == D("16.67")


def test_expected_path_is_clamped_before_and_after() -> None:
    kw = {"baseline": D("10"), "target": D("20"), "baseline_time": 2020, "target_time": 2023, "path": LINEAR}
    assert expected_value(at=2019, **kw) == D("10")
    assert expected_value(at=2030, **kw) == D("20")


def test_custom_path_uses_the_office_values_and_interpolates() -> None:
    custom = {D("2021"): D("100"), D("2022"): D("140")}
    kw = {
        "baseline": D("90"),
        "target": D("160"),
        "baseline_time": 2020,
        "target_time": 2023,
        "path": CUSTOM,
        "custom": custom,
    }
    assert expected_value(at=2021, **kw) == D("100")
    assert expected_value(at=D("2021.5"), **kw) == D("120")
    assert expected_value(at=2023, **kw) == D("160")


def test_year_to_date_is_time_proportional() -> None:
    assert year_to_date_expected(D("160"), quarter=2) == D("80")
    assert year_to_date_expected(D("120"), month=3) == D("30")


def test_default_path_by_unit_and_kind() -> None:
    assert default_path("亿元") == COMPOUND
    assert default_path("家") == LINEAR
    assert default_path("亿元", "increment") == LINEAR


@pytest.mark.parametrize(
    ("actual", "expected", "status"),
    [
        ("95", "100", GREEN),
        ("94.9", "100", YELLOW),
        ("85", "100", YELLOW),
        ("84.9", "100", RED),
        ("120", "100", GREEN),
        (None, "100", UNKNOWN),
    ],
)
def test_status_thresholds_default(actual: str | None, expected: str, status: str) -> None:
    assert status_for(D(actual) if actual else None, D(expected)) == status


def test_status_thresholds_are_configurable() -> None:
    strict = Thresholds(green=D("1.0"), yellow=D("0.9"))
    assert status_for(D("96"), D("100"), strict) == YELLOW
    with pytest.raises(ValueError):
        Thresholds(green=D("0.8"), yellow=D("0.9"))


def test_task_status_from_reports_and_due_date() -> None:
    start, due = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    mid = dt.date(2024, 7, 1)  # about half the time gone
    assert task_status([TaskReportFacts(DONE, 100)], due=due, today=mid, started=start) == GREEN
    assert task_status([TaskReportFacts(IN_PROGRESS, 45)], due=due, today=mid, started=start) == GREEN
    assert task_status([TaskReportFacts(IN_PROGRESS, 30)], due=due, today=mid, started=start) == YELLOW
    assert task_status([TaskReportFacts(IN_PROGRESS, 10)], due=due, today=mid, started=start) == RED
    assert task_status([TaskReportFacts(LATE, 60)], due=due, today=mid, started=start) == RED
    assert (
        task_status([TaskReportFacts(IN_PROGRESS, 90)], due=due, today=dt.date(2025, 1, 5), started=start)
        == RED
    )
    assert task_status([], due=due, today=mid) == UNKNOWN
    assert task_status([], due=due, today=dt.date(2025, 2, 1)) == RED
    assert task_status([TaskReportFacts(NOT_STARTED, 0)], due=None, today=mid) == YELLOW


def test_trend_rate_and_slope() -> None:
    assert trend_rate([(2019, D("100")), (2022, D("142"))]) == D("12.3991")
    assert trend_slope([(2020, D("10")), (2021, D("12")), (2022, D("14"))]) == D("2")
    assert trend_rate([(2020, D("10"))]) is None


def test_required_rate() -> None:
    # From 142 in 2022 to 160 in 2023: 12.68 %; to 170: 19.72 % (LIBRARIES.md §6).
    assert required_rate(D("142"), D("160"), 1).quantize(D("0.01")) == D("12.68")
    assert required_rate(D("142"), D("170"), 1).quantize(D("0.01")) == D("19.72")


def test_forecast_compound_sentence() -> None:
    points = [(2019, D("100")), (2020, D("115")), (2021, D("128")), (2022, D("142"))]
    f = forecast(points=points, target_value=D("160"), target_year=2023, unit="亿元", level_label="确保")
    assert f.projected is not None and f.projected.quantize(D("0.1")) == D("159.6")
    assert f.meets_target is False
    assert f.sentence == "按当前年均增速12.4%，2023年预计159.6亿元，低于确保目标160亿元；需年均增长12.7%。"


def test_forecast_compound_meeting_the_target_has_no_requirement() -> None:
    f = forecast(
        points=[(2020, D("100")), (2022, D("121"))], target_value=D("130"), target_year=2023, unit="亿元"
    )
    assert f.meets_target is True
    assert f.sentence == "按当前年均增速10%，2023年预计133.1亿元，达到目标130亿元。"


def test_forecast_linear_for_counts() -> None:
    f = forecast(
        points=[(2020, D("10")), (2021, D("12")), (2022, D("14"))],
        target_value=D("20"),
        target_year=2023,
        unit="家",
        model=LINEAR,
    )
    assert f.projected == D("16")
    assert f.sentence == "按当前年均增量2家，2023年预计16家，低于目标20家；需年均增加6家。"


def test_forecast_without_data() -> None:
    f = forecast(points=[], target_value=D("1"), target_year=2023, unit="家")
    assert f.projected is None and f.meets_target is None


def test_quarter_of() -> None:
    assert [quarter_of(dt.date(2024, m, 1)) for m in (1, 3, 4, 12)] == [1, 1, 2, 4]


def test_forecast_adds_output_coming_on_stream_and_says_so() -> None:
    from bioplan.tracking.progress import forecast

    fc = forecast(
        points=[(2020, D(100)), (2022, D(121))],
        target_value=D(150),
        target_year=2023,
        unit="亿元",
        level_label="确保",
        new_capacity=D(10),
    )
    assert fc.projected == D("143.1")  # 121 × 1.1 + 10
    assert fc.meets_target is False
    assert "计入新达产项目产值10亿元" in fc.sentence and "2023年预计143.1亿元" in fc.sentence
