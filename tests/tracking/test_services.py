"""Reporting workflow, figures and revisions, reminders, consistency on import (tracking/services.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from bioplan.tracking import services
from bioplan.tracking.choices import ReminderKind, ReportState
from bioplan.tracking.models import ConsistencyFinding, Observation, ProgressReport, Reminder

pytestmark = pytest.mark.django_db


def _draft(world, user=None, task=None, **kw):  # type: ignore[no-untyped-def]
    return services.report_save(
        cycle=world.cycle,
        task=task or world.task1,
        user=user or world.liaison_a,
        progress="in_progress",
        percent_done=40,
        done_text="完成项目签约2个",
        next_steps="推进落地",
        problems=kw.get("problems", ""),
    )


def test_liaison_files_and_submits_a_report(world) -> None:
    report = _draft(world)
    assert (report.state, report.department, report.percent_done) == (ReportState.DRAFT, world.dep_a, 40)
    services.report_submit(report=report, user=world.liaison_a)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == world.liaison_a
    assert report.history.count() == 2
    assert report.history.first().history_user == world.liaison_a


def test_co_department_files_its_own_report_on_the_same_task(world) -> None:
    a = _draft(world)
    b = _draft(world, user=world.liaison_b)
    assert a.pk != b.pk and b.department == world.dep_b


def test_liaison_cannot_file_on_a_task_not_assigned_to_its_department(world) -> None:
    with pytest.raises(PermissionDenied):
        _draft(world, task=world.task2)


def test_liaison_cannot_edit_another_departments_report(world) -> None:
    report = _draft(world)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, user=world.liaison_b)
    with pytest.raises(PermissionDenied):
        services.report_save(
            cycle=world.cycle, task=world.task1, user=world.liaison_b, department=world.dep_a
        )
    assert ProgressReport.objects.editable_by(world.liaison_b).filter(pk=report.pk).count() == 0
    assert ProgressReport.objects.visible_to(world.liaison_b).filter(pk=report.pk).count() == 0


def test_liaison_cannot_accept_own_report(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, user=world.liaison_a)


def test_office_cannot_review_a_report_it_submitted_itself(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_by=world.office)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, user=world.office)


def test_leader_cannot_review(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, user=world.leader)


def test_office_returns_then_accepts(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    with pytest.raises(ValidationError):
        services.report_return(report=report, user=world.office, comment=" ")
    services.report_return(report=report, user=world.office, comment="请补充签约项目名称")
    assert report.state == ReportState.RETURNED
    with pytest.raises(ValidationError):
        services.report_accept(report=report, user=world.office)  # must be resubmitted first
    services.report_save(
        cycle=world.cycle,
        task=world.task1,
        user=world.liaison_a,
        progress="in_progress",
        percent_done=50,
        done_text="签约甲、乙两个项目",
    )
    services.report_submit(report=ProgressReport.objects.get(pk=report.pk), user=world.liaison_a)
    report = services.report_accept(
        report=ProgressReport.objects.get(pk=report.pk), user=world.office, comment="好"
    )
    assert report.state == ReportState.ACCEPTED
    assert list(report.history.values_list("state", flat=True))[:4] == [
        "accepted",
        "submitted",
        "returned",
        "returned",
    ]


def test_submitted_or_accepted_report_cannot_be_edited(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    with pytest.raises(ValidationError):
        _draft(world)
    services.report_accept(report=report, user=world.office)
    with pytest.raises(ValidationError):
        services.report_submit(report=report, user=world.liaison_a)


def test_submit_needs_what_was_done(world) -> None:
    report = services.report_save(cycle=world.cycle, task=world.task1, user=world.liaison_a)
    with pytest.raises(ValidationError):
        services.report_submit(report=report, user=world.liaison_a)


def test_only_office_opens_a_cycle_once(world) -> None:
    with pytest.raises(PermissionDenied):
        services.cycle_open(
            region=world.region, year=2024, quarter=3, deadline=dt.date(2024, 10, 10), user=world.liaison_a
        )
    cycle = services.cycle_open(
        region=world.region, year=2024, quarter=3, deadline=dt.date(2024, 10, 10), user=world.office
    )
    assert cycle.label == "2024年第3季度"
    with pytest.raises(ValidationError):
        services.cycle_open(
            region=world.region, year=2024, quarter=3, deadline=dt.date(2024, 10, 10), user=world.office
        )


def test_closed_cycle_refuses_reports(world) -> None:
    services.cycle_close(cycle=world.cycle, user=world.office)
    with pytest.raises(ValidationError):
        _draft(world)


def test_reminders_for_missing_late_and_returned_reports(world, django_capture_on_commit_callbacks) -> None:
    # A submits late on task 1, B has nothing → missing on task 1 and task 2.
    report = _draft(world)
    services.report_submit(
        report=report, user=world.liaison_a, now=dt.datetime(2024, 7, 15, 9, tzinfo=dt.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reminders = services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 20), user=world.office)
    kinds = sorted((r.department.name, r.kind, r.count) for r in reminders)
    assert kinds == [("区科委", ReminderKind.MISSING, 2), ("区经委", ReminderKind.LATE, 1)]
    assert len(callbacks) == 2
    # Only department A's liaison has an e-mail address.
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert Reminder.objects.get(department=world.dep_a).emailed_at is not None
    # Queuing again without change adds nothing.
    with django_capture_on_commit_callbacks(execute=True) as again:
        services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 20), user=world.office)
    assert again == []


def test_no_missing_reports_before_the_deadline(world) -> None:
    assert services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 1), user=world.office) == []


def test_correction_is_a_new_revision_and_keeps_the_old_value(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    first = services.observation_record(
        indicator=ind,
        region=world.region,
        year=2021,
        value=Decimal("130"),
        source="stat_flash",
        user=world.office,
    )
    second = services.observation_record(
        indicator=ind,
        region=world.region,
        year=2021,
        value=Decimal("131.5"),
        source="stat_flash",
        user=world.office,
        note="快报更正",
    )
    first.refresh_from_db()
    assert (first.is_latest, second.is_latest, second.revision, second.supersedes) == (False, True, 2, first)
    assert Observation.objects.filter(indicator=ind).count() == 2
    assert Observation.objects.current_revisions().get(indicator=ind).value == Decimal("131.5")


def test_liaison_records_and_corrects_only_its_departments_figures(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    obs = services.observation_record(
        indicator=ind,
        region=world.region,
        year=2021,
        value=Decimal("1"),
        source="department",
        user=world.liaison_a,
    )
    assert obs.department == world.dep_a
    with pytest.raises(PermissionDenied):
        services.observation_record(
            indicator=ind,
            region=world.region,
            year=2021,
            value=Decimal("2"),
            source="department",
            user=world.liaison_b,
        )
    with pytest.raises(PermissionDenied):
        services.observation_record(
            indicator=ind, region=world.region, year=2021, value=Decimal("2"), source="tax", user=world.leader
        )
    assert Observation.objects.editable_by(world.liaison_b).count() == 0
    assert Observation.objects.editable_by(world.liaison_a).count() == 1


def test_conflicting_sources_are_kept_and_the_office_chooses(world) -> None:
    from bioplan.tracking.selectors import conflicts, figures_for

    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    plan_fig = services.observation_record(
        indicator=ind,
        region=world.region,
        year=2020,
        value=Decimal("240"),
        source="department",
        user=world.office,
    )
    paper = services.observation_record(
        indicator=ind,
        region=world.region,
        year=2020,
        value=Decimal("169.57"),
        source="estimate",
        user=world.office,
    )
    (c,) = conflicts(user=world.office)
    assert {o.value for o in c.observations} == {Decimal("240"), Decimal("169.57")}
    assert c.chosen is None
    # Without a choice the more authoritative source counts (部门报送 before 估算).
    assert figures_for([(ind.pk, world.region.pk)])[(ind.pk, world.region.pk)].effective[
        (2020, 0)
    ] == Decimal("240")
    with pytest.raises(PermissionDenied):
        services.observation_choose(observation=paper, user=world.liaison_a)
    services.observation_choose(observation=paper, user=world.office)
    services.observation_choose(observation=plan_fig, user=world.office)
    services.observation_choose(observation=paper, user=world.office)
    assert figures_for([(ind.pk, world.region.pk)])[(ind.pk, world.region.pk)].effective[
        (2020, 0)
    ] == Decimal("169.57")
    assert conflicts(user=world.office, unresolved_only=True) == []
    assert len(conflicts(user=world.office)) == 1


def test_consistency_record_stores_findings_for_a_stored_plan(world) -> None:
    from tests.factories import TargetFactory

    TargetFactory(
        plan=world.plan,
        code="T02",
        metric="工业总产值",
        kind="level",
        value=Decimal("150"),
        unit="亿元",
        year=2023,
        level="stretch",
        scope="甲区",
    )
    findings = services.consistency_record(plan=world.plan)
    assert [f.verdict for f in findings] == ["fail"]
    stored = ConsistencyFinding.objects.get(plan=world.plan)
    assert stored.arithmetic.startswith("确保 160亿元 ≥ 力争 150亿元")
    services.consistency_record(plan=world.plan)
    assert ConsistencyFinding.objects.filter(plan=world.plan).count() == 1


def test_plan_bind_targets_binds_by_metric_and_scope(world) -> None:
    from tests.factories import TargetFactory

    TargetFactory(
        plan=world.plan,
        code="T02",
        metric="工业总产值",
        kind="level",
        value=Decimal("20"),
        unit="亿元",
        year=2023,
        scope="甲园",
    )
    TargetFactory(
        plan=world.plan,
        code="T03",
        metric="工业总产值",
        kind="growth_rate",
        value=Decimal("8"),
        unit="%",
        year=2023,
        scope="甲区",
    )
    bindings = services.plan_bind_targets(plan=world.plan)
    assert sorted((b.target.code, b.region.name, b.indicator.unit) for b in bindings) == [
        ("T01", "甲区", "亿元"),
        ("T02", "甲园", "亿元"),
        ("T03", "甲区", "亿元"),
    ]


def test_daily_job_queues_reminders_for_cycles_past_their_deadline(world) -> None:
    from bioplan.tracking.tasks import reminders_daily

    assert reminders_daily.call_local() == 2  # 区经委 and 区科委 have reports missing
    assert Reminder.objects.filter(kind=ReminderKind.MISSING).count() == 2


def test_indicator_create_stores_the_contract_unit_and_a_default_aggregation(world) -> None:
    flow = services.indicator_create(name="规上工业产值", unit="亿", user=world.office)
    count = services.indicator_create(name="高新技术企业数", unit="家", user=world.office)

    assert (flow.unit, flow.aggregation, count.aggregation) == ("亿元", "sum", "last")
    assert flow.history.get().history_user == world.office


def test_indicator_create_names_an_unknown_unit_and_a_duplicate(world) -> None:
    with pytest.raises(ValidationError) as unknown:
        services.indicator_create(name="产值", unit="亿英镑", user=world.office)
    services.indicator_create(name="产值", unit="亿元", user=world.office)
    with pytest.raises(ValidationError) as duplicate:
        services.indicator_create(name="产值", unit="亿", user=world.office)

    assert "未知单位“亿英镑”" in unknown.value.message_dict["unit"][0]
    assert "亿元" in unknown.value.message_dict["unit"][0]
    assert duplicate.value.message_dict["name"] == ["指标“产值（亿元）”已存在。"]


def test_only_the_office_edits_the_indicator_catalogue(world) -> None:
    indicator = services.indicator_create(name="产值", unit="亿元", user=world.office)
    for user in (world.liaison_a, world.leader):
        with pytest.raises(PermissionDenied):
            services.indicator_create(name="营收", unit="亿元", user=user)
        with pytest.raises(PermissionDenied):
            services.indicator_update(indicator=indicator, aggregation="average", description="", user=user)
    services.indicator_update(
        indicator=indicator, aggregation="average", description="统计局口径", user=world.office
    )
    indicator.refresh_from_db()
    assert (indicator.aggregation, indicator.description) == ("average", "统计局口径")


# ------------------------------------------------------------------ the life of a cycle (issue 10, 6)
def _open_reminders(world) -> list[tuple[str, str, int, str]]:  # type: ignore[no-untyped-def]
    return sorted(
        (r.department.name, r.kind, r.count, r.message)
        for r in Reminder.objects.filter(cycle=world.cycle, resolved=False)
    )


def test_reminders_follow_each_report_so_none_is_stale(world) -> None:
    """B is reminded of 2 missing reports; each one B submits lowers the count, the last resolves it."""
    services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 20), user=world.office)
    assert [(d, k, n) for d, k, n, _ in _open_reminders(world)] == [
        ("区科委", ReminderKind.MISSING, 2),
        ("区经委", ReminderKind.MISSING, 1),
    ]
    first = _draft(world, user=world.liaison_b, task=world.task1)
    services.report_submit(report=first, user=world.liaison_b)
    [(_, _, count, message), _] = _open_reminders(world)
    assert (count, "尚有1项未报送" in message) == (1, True)
    services.report_submit(report=_draft(world, user=world.liaison_b, task=world.task2), user=world.liaison_b)
    assert [d for d, *_ in _open_reminders(world)] == ["区经委"]


def test_an_accepted_late_report_draws_no_nag_but_keeps_its_late_mark(world) -> None:
    report = _draft(world)
    services.report_submit(
        report=report, user=world.liaison_a, now=dt.datetime(2024, 7, 15, 9, tzinfo=dt.UTC)
    )
    services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 20), user=world.office)
    assert ("区经委", ReminderKind.LATE) in [(d, k) for d, k, *_ in _open_reminders(world)]
    services.report_accept(report=report, user=world.office)
    assert ("区经委", ReminderKind.LATE) not in [(d, k) for d, k, *_ in _open_reminders(world)]
    from bioplan.tracking.selectors import chase_list

    row = next(
        r for r in chase_list(cycle=world.cycle, today=dt.date(2024, 7, 20)) if r.department == world.dep_a
    )
    assert (row.late, row.late_unreviewed) == (1, 0)


def test_a_returned_report_reminder_goes_once_it_is_submitted_again(world) -> None:
    report = _draft(world)
    services.report_submit(report=report, user=world.liaison_a)
    services.report_return(report=report, user=world.office, comment="请补充数据")
    services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 5), user=world.office)
    assert [(d, k) for d, k, *_ in _open_reminders(world)] == [("区经委", ReminderKind.RETURNED)]
    services.report_submit(report=ProgressReport.objects.get(pk=report.pk), user=world.liaison_a)
    assert _open_reminders(world) == []


def test_moving_the_deadline_later_clears_missing_reminders(world) -> None:
    services.reminders_queue(cycle=world.cycle, user=world.office)  # today is past 2024-07-10
    assert _open_reminders(world)
    with pytest.raises(PermissionDenied):
        services.cycle_update(cycle=world.cycle, deadline=dt.date(2099, 1, 1), user=world.liaison_a)
    services.cycle_update(cycle=world.cycle, deadline=dt.date(2099, 1, 1), user=world.office)
    assert world.cycle.deadline == dt.date(2099, 1, 1)
    assert _open_reminders(world) == []


def test_a_closed_cycle_is_read_only_and_keeps_its_late_marks(world) -> None:
    from bioplan.tracking.selectors import chase_list

    late = _draft(world)
    services.report_submit(report=late, user=world.liaison_a, now=dt.datetime(2024, 7, 15, 9, tzinfo=dt.UTC))
    pending = _draft(world, user=world.liaison_b, task=world.task2)
    services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 7, 20), user=world.office)
    services.cycle_close(cycle=world.cycle, user=world.office)

    assert _open_reminders(world) == []
    for attempt in (
        lambda: services.report_submit(report=pending, user=world.liaison_b),
        lambda: services.report_accept(report=ProgressReport.objects.get(pk=late.pk), user=world.office),
        lambda: services.reminders_queue(cycle=world.cycle, user=world.office),
        lambda: services.cycle_update(cycle=world.cycle, deadline=dt.date(2099, 1, 1), user=world.office),
        lambda: services.cycle_close(cycle=world.cycle, user=world.office),
        lambda: _draft(world),
    ):
        with pytest.raises(ValidationError):
            attempt()
    row = next(
        r for r in chase_list(cycle=world.cycle, today=dt.date(2024, 7, 20)) if r.department == world.dep_a
    )
    assert row.late == 1
    assert ProgressReport.objects.get(pk=late.pk).state == ReportState.SUBMITTED
