"""Reads behind the dashboard: effective figures, the 催办 counts and the per-district cache."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.factories import PlanFactory, RegionFactory, TargetFactory
from tests.tracking.conftest import RUNNING_UNTIL

from bioplan.tracking import selectors, services
from bioplan.tracking.choices import ReportState
from bioplan.tracking.models import ProgressReport


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _record(ind, region, year, value, quarter=0, month=0, source="stat_flash"):  # type: ignore[no-untyped-def]
    return services.observation_record(
        indicator=ind,
        region=region,
        year=year,
        quarter=quarter,
        month=month,
        value=Decimal(value),
        source=source,
    )


def test_complete_quarters_of_monthly_figures_stand_for_the_quarter(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    for month, value in ((1, "10"), (2, "11"), (3, "12"), (4, "13"), (5, "14")):
        _record(ind, world.region, 2024, value, month=month)

    effective = selectors.figures_for([(ind.pk, world.region.pk)])[(ind.pk, world.region.pk)].effective

    # Q1 = 10 + 11 + 12; Q2 has two months only and stays out.
    assert effective == {(2024, 1): Decimal("33")}


def test_a_quarterly_figure_wins_over_its_months(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    for month in (1, 2, 3):
        _record(ind, world.region, 2024, "10", month=month)
    _record(ind, world.region, 2024, "31.5", quarter=1)

    effective = selectors.figures_for([(ind.pk, world.region.pk)])[(ind.pk, world.region.pk)].effective

    assert effective == {(2024, 1): Decimal("31.5")}


def test_quarters_of_a_year_with_a_yearly_figure_are_read_only_when_judging_that_year(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    _record(ind, world.region, 2023, "140")
    for q in (1, 2, 3, 4):
        _record(ind, world.region, 2023, "35", quarter=q)
    _record(ind, world.region, 2024, "40", quarter=1)
    key = (ind.pk, world.region.pk)

    latest = selectors.figures_for([key])[key].effective
    mid_2023 = selectors.figures_for([key], as_of=(2023, 2))[key].effective

    assert latest == {(2023, 0): Decimal("140"), (2024, 1): Decimal("40")}
    assert mid_2023[(2023, 2)] == Decimal("35") and mid_2023[(2023, 0)] == Decimal("140")


def test_chase_lists_count_missing_late_and_returned_per_department(world) -> None:
    cycle = world.cycle  # deadline 2024-07-10; 区经委 leads task 1 (区科委 co-runs), 区科委 leads task 2
    on_time = dt.datetime(2024, 7, 10, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    late = dt.datetime(2024, 7, 11, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    a1 = services.report_save(
        cycle=cycle, task=world.task1, user=world.liaison_a, percent_done=50, done_text="已推进"
    )
    services.report_submit(report=a1, user=world.liaison_a, now=late)
    b1 = services.report_save(
        cycle=cycle, task=world.task1, user=world.liaison_b, percent_done=50, done_text="已推进"
    )
    services.report_submit(report=b1, user=world.liaison_b, now=on_time)
    services.report_return(report=b1, user=world.office, comment="请补充数据")
    b2 = services.report_save(
        cycle=cycle, task=world.task2, user=world.liaison_b, percent_done=50, done_text="已推进"
    )
    services.report_submit(report=b2, user=world.liaison_b, now=on_time)
    services.report_accept(report=ProgressReport.objects.get(pk=b2.pk), user=world.office)

    rows = {r.department.name: r for r in selectors.chase_list(cycle=cycle, today=dt.date(2024, 7, 20))}
    before = {r.department.name: r for r in selectors.chase_list(cycle=cycle, today=dt.date(2024, 7, 1))}

    a, b = rows["区经委"], rows["区科委"]
    assert (a.expected, a.submitted, a.accepted, a.missing, a.late, a.returned) == (1, 1, 0, 0, 1, 0)
    assert (b.expected, b.submitted, b.accepted, b.missing, b.late, b.returned) == (2, 1, 1, 0, 0, 1)
    assert ProgressReport.objects.get(pk=b1.pk).state == ReportState.RETURNED
    assert before["区经委"].overdue is False and before["区科委"].missing == 0


def test_chase_lists_count_tasks_without_report_as_missing_after_the_deadline(world) -> None:
    rows = {r.department.name: r for r in selectors.chase_list(cycle=world.cycle, today=dt.date(2024, 8, 1))}

    assert (rows["区经委"].expected, rows["区经委"].missing) == (1, 1)
    assert (rows["区科委"].expected, rows["区科委"].missing) == (2, 2)


def test_district_version_changes_with_a_write_in_that_district_only(world) -> None:
    other = RegionFactory(name="乙区")
    PlanFactory(region=other, title="乙区行动方案")
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    before = selectors.district_versions([world.region.pk, other.pk])

    _record(ind, world.park, 2021, "12")  # a park's figure belongs to its district

    after = selectors.district_versions([world.region.pk, other.pk])
    assert after[world.region.pk] != before[world.region.pk]
    assert after[other.pk] == before[other.pk]


def _city_leader(world):  # type: ignore[no-untyped-def]
    """A city-wide leader: its region is the city above both districts of the dashboard."""
    from tests.factories import UserFactory

    from bioplan.core.choices import Role

    return UserFactory(username="city", role=Role.LEADER, region=world.region.parent)


def _two_district_dashboard(world):  # type: ignore[no-untyped-def]
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.plan_bind_targets(plan=world.plan)
    city = RegionFactory(name="上海市", level="city")
    world.region.parent = city
    world.region.save()
    other = RegionFactory(name="乙区", parent=city)
    other_plan = PlanFactory(region=other, title="乙区行动方案", period_start=2021, period_end=RUNNING_UNTIL)
    TargetFactory(
        plan=other_plan, metric="工业总产值", kind="level", value=Decimal(100), unit="亿元", year=2023
    )
    services.plan_bind_targets(plan=other_plan)
    for region, values in ((world.region, ("127", "137", "148")), (other, ("80", "86", "93"))):
        for year, value in zip((2020, 2021, 2022), values, strict=True):
            _record(ind, region, year, value)
    return ind, other


def test_dashboard_shows_a_new_figure_at_once(client, world) -> None:

    ind, _ = _two_district_dashboard(world)
    client.force_login(_city_leader(world))
    url = reverse("tracking:dashboard")
    assert "按当前年均增速8%" in client.get(url, {"plan": world.plan.pk}).content.decode()
    client.get(url)  # the city-wide page caches both districts' parts

    _record(ind, world.region, 2022, "120")  # a correction: growth now 4.2 %, the target turns red

    html = client.get(url, {"plan": world.plan.pk}).content.decode()
    assert "按当前年均增速8%" not in html and "按当前年均增速" in html
    assert "bp-status-red" in client.get(url).content.decode()


def test_a_write_in_one_district_recomputes_only_that_district(client, world, monkeypatch) -> None:

    ind, other = _two_district_dashboard(world)
    client.force_login(_city_leader(world))
    url = reverse("tracking:dashboard")
    computed: list[set[int]] = []
    real = selectors._district_parts

    def spy(*, plans, as_of, today):  # type: ignore[no-untyped-def]
        computed.append({p.region_id for p in plans})
        return real(plans=plans, as_of=as_of, today=today)

    monkeypatch.setattr(selectors, "_district_parts", spy)
    client.get(url)
    client.get(url)
    _record(ind, other, 2022, "95")
    client.get(url)

    assert computed == [{world.region.pk, other.pk}, {other.pk}]


def test_a_project_reaching_full_output_refreshes_the_cached_forecast(client, world) -> None:
    from bioplan.projects import services as project_services

    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.plan_bind_targets(plan=world.plan)
    for year, value in ((2020, "127"), (2021, "137")):
        _record(ind, world.region, year, value)
    client.force_login(world.leader)
    url = reverse("tracking:dashboard")
    assert "新达产" not in client.get(url, {"plan": world.plan.pk}).content.decode()

    project = project_services.project_create(
        name="新药产业化基地",
        investor_name="某药业",
        district=world.region,
        park=None,
        project_type="new",
        total_investment=Decimal(20),
        expected_output=Decimal(12),
        planned={"full_output": dt.date(2023, 6, 30)},
        user=None,
    )
    assert project.pk

    assert "计入新达产项目产值12亿元" in client.get(url, {"plan": world.plan.pk}).content.decode()


def test_nightly_warm_up_leaves_nothing_to_compute_for_the_first_visitor(client, world, monkeypatch) -> None:

    from bioplan.tracking.tasks import dashboard_warm_daily

    _two_district_dashboard(world)
    assert dashboard_warm_daily.call_local() == 2
    computed: list[object] = []
    real = selectors._district_parts
    monkeypatch.setattr(selectors, "_district_parts", lambda **kw: computed.append(kw) or real(**kw))
    client.force_login(_city_leader(world))

    assert client.get(reverse("tracking:dashboard")).status_code == 200
    client.force_login(world.leader)
    assert client.get(reverse("tracking:dashboard")).status_code == 200
    assert computed == []


def test_a_growth_target_chart_plots_rates_on_a_percent_axis_and_names_the_target(world) -> None:
    from bioplan.tracking.evaluation import evaluate_target
    from bioplan.tracking.selectors import TargetStatus, _target_input, trend_chart

    target = TargetFactory(
        plan=world.plan,
        kind="growth_rate",
        metric="工业总产值",
        value=Decimal(8),
        unit="%",
        year=2023,
        level="stretch",
        comparator=">=",
    )
    target.plan = world.plan
    ev = evaluate_target(
        _target_input(target, None, world.plan), {(2020, 0): Decimal(100), (2022, 0): Decimal("112.36")}
    )
    chart = trend_chart(TargetStatus(target, ev, True, False))
    assert chart["title"] == "工业总产值年均增长：力争 ≥8%（2023年）"
    assert chart["option"]["yAxis"]["name"] == "%"
    actual, path = chart["option"]["series"]
    assert (actual["name"], actual["data"]) == ("实际年均增速", [None, 6.0, None])  # 2021, 2022, 2023
    assert path["data"] == [8.0, 8.0, 8.0]


def test_a_level_target_chart_title_names_floor_value_and_year(world) -> None:
    from bioplan.tracking.selectors import target_title

    world.target.plan = world.plan
    assert target_title(world.target) == "工业总产值：确保 ＞160亿元（2023年）"
