"""Pure stage rules: every transition and every warning."""

import datetime as dt

import pytest

from bioplan.projects.stages import (
    StageDates,
    current_stage,
    next_stage,
    plan_problems,
    stage_warnings,
    transition_problems,
    warning_level,
)

D = dt.date
TODAY = D(2024, 6, 30)
ORDER = ["signed", "land", "started", "completed", "producing", "full_output"]


@pytest.mark.parametrize(
    ("current", "expected"), [("", "signed"), *zip(ORDER, [*ORDER[1:], None], strict=True)]
)
def test_next_stage_follows_the_order(current, expected):
    assert next_stage(current) == expected


@pytest.mark.parametrize(("current", "stage"), list(zip(["", *ORDER[:-1]], ORDER, strict=True)))
def test_each_stage_may_follow_the_previous_one(current, stage):
    assert (
        transition_problems(
            current=current,
            stage=stage,
            actual_on=D(2024, 1, 2),
            previous_actual_on=D(2024, 1, 1),
            today=TODAY,
        )
        == []
    )


def test_a_stage_cannot_be_skipped():
    problems = transition_problems(
        current="signed", stage="started", actual_on=D(2024, 1, 2), previous_actual_on=None, today=TODAY
    )
    assert problems == ["下一阶段应为“土地出让”，不能直接进入“开工”"]


def test_nothing_follows_full_output():
    problems = transition_problems(
        current="full_output", stage="signed", actual_on=D(2024, 1, 2), previous_actual_on=None, today=TODAY
    )
    assert problems == ["项目已达产，没有后续阶段"]


def test_actual_date_cannot_be_in_the_future():
    problems = transition_problems(
        current="", stage="signed", actual_on=D(2024, 7, 1), previous_actual_on=None, today=TODAY
    )
    assert problems == ["实际日期不能晚于今天"]


def test_actual_date_cannot_precede_the_previous_stage():
    problems = transition_problems(
        current="signed", stage="land", actual_on=D(2023, 1, 1), previous_actual_on=D(2023, 3, 1), today=TODAY
    )
    assert problems == ["实际日期早于上一阶段（2023-03-01）"]


def test_planned_dates_must_keep_the_stage_order():
    assert plan_problems([StageDates("signed", D(2024, 1, 1)), StageDates("land", D(2023, 12, 1))]) == [
        "“土地出让”计划日期早于“签约”"
    ]
    assert plan_problems([StageDates("signed", D(2024, 1, 1)), StageDates("started", D(2024, 1, 1))]) == []


def test_current_stage_is_the_last_with_an_actual_date():
    assert current_stage([StageDates("signed", actual_on=D(2024, 1, 1)), StageDates("land")]) == "signed"
    assert current_stage([]) == ""


def _plan(**actuals):
    planned = dict(
        zip(
            ORDER,
            [D(2024, 1, 1), D(2024, 3, 1), D(2024, 6, 1), D(2025, 6, 1), D(2025, 9, 1), D(2026, 6, 1)],
            strict=True,
        )
    )
    return [StageDates(s, planned[s], actuals.get(s)) for s in ORDER]


def test_overdue_next_stage_warns_with_days_late():
    stages = _plan(signed=D(2024, 1, 1), land=D(2024, 3, 1))
    [w] = stage_warnings(stages, TODAY)
    assert (w.stage, w.level, w.days) == ("started", "overdue", 29)
    assert w.text == "开工已逾期 29 天（计划 2024-06-01）"
    assert warning_level(stages, TODAY) == "overdue"


def test_more_than_90_days_late_is_severe():
    stages = _plan(signed=D(2024, 1, 1))  # land planned 2024-03-01: 121 days late
    assert warning_level(stages, TODAY) == "severe"


def test_exactly_90_days_late_is_still_overdue():
    stages = _plan(signed=D(2024, 1, 1))
    assert warning_level(stages, D(2024, 5, 30)) == "overdue"


def test_due_within_30_days_warns():
    stages = _plan(signed=D(2024, 1, 1), land=D(2024, 3, 1))
    [w] = stage_warnings(stages, D(2024, 5, 15))
    assert (w.level, w.days) == ("due_soon", 17)


def test_far_away_stage_gives_no_warning():
    stages = _plan(signed=D(2024, 1, 1), land=D(2024, 3, 1))
    assert warning_level(stages, D(2024, 3, 2)) == ""


def test_missing_plan_for_next_stage_warns():
    stages = [StageDates("signed", D(2024, 1, 1), D(2024, 1, 1)), StageDates("land")]
    assert warning_level(stages, TODAY) == "no_plan"


def test_late_completion_is_reported_but_is_not_a_list_warning():
    stages = _plan(signed=D(2024, 1, 10))
    late = [w for w in stage_warnings(stages, D(2024, 1, 11)) if w.level == "late_done"]
    assert late[0].text == "签约延期 9 天完成"


def test_full_output_reached_has_no_pending_warning():
    stages = _plan(**{s: D(2024, 1, 1) for s in ORDER})
    assert warning_level(stages, TODAY) == ""
