import datetime as dt
from decimal import Decimal

from tests.projects.test_services import PLANNED

from bioplan.projects import selectors, services


def _project(world, name, park=None, output=None, full_output_on=None):
    return services.project_create(
        name=name,
        investor_name="X",
        district=world.district,
        park=park or world.park_a,
        project_type="new",
        total_investment=Decimal(5),
        expected_output=Decimal(output) if output is not None else None,
        planned={**PLANNED, "full_output": full_output_on} if full_output_on else PLANNED,
        user=None,
    )


def test_gantt_positions_bars_on_a_common_axis(world):
    p = _project(world, "甲")
    p = services.project_advance(
        project=p, stage="signed", actual_on=dt.date(2024, 1, 20), today=dt.date(2024, 6, 30)
    )
    gantt = selectors.gantt([p], today=dt.date(2024, 6, 30))
    assert (gantt.start, gantt.end) == (dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    assert [y for y, _ in gantt.years] == [2024, 2025, 2026]
    [row] = gantt.rows
    assert [b.stage for b in row.bars] == [
        "signed",
        "land",
        "started",
        "completed",
        "producing",
        "full_output",
    ]
    signed, land, started = row.bars[:3]
    assert signed.done and signed.late  # reached 19 days after plan
    assert not land.done and land.late  # planned 2024-03-01, not reached by 2024-06-30
    assert signed.left == land.left < started.left  # a stage bar runs from the previous stage to its own date
    assert row.level == "severe"
    assert 0 < gantt.today_left < 100


def test_battle_map_links_projects_to_their_parks(world):
    a = _project(world, "甲")
    b = _project(world, "乙", park=world.park_b)
    world.registry_a.map_x, world.registry_a.map_y = Decimal(20), Decimal(30)
    option = selectors.battle_map(
        user=world.office, projects=[a, b], parks=[world.registry_a, world.registry_b]
    )
    series = option["series"][0]
    ids = [n["id"] for n in series["data"]]
    assert ids == [f"park-{world.park_a.pk}", f"park-{world.park_b.pk}", f"project-{a.pk}", f"project-{b.pk}"]
    assert series["data"][0]["x"] == 200.0 and series["data"][0]["y"] == 300.0
    assert {"source": f"project-{a.pk}", "target": f"park-{world.park_a.pk}"} in series["links"]


def test_project_list_filters(world):
    a = _project(world, "甲")
    _project(world, "乙", park=world.park_b)
    found = selectors.project_list(
        user=world.office, filters=selectors.ProjectFilter(park=world.park_a.pk, stage="none")
    )
    assert list(found) == [a]
    assert list(selectors.project_list(user=world.office, filters=selectors.ProjectFilter(q="甲"))) == [a]
    counts = selectors.stage_counts(user=world.office)
    assert counts[""] == 2 and counts["signed"] == 0


def test_output_capacity_feeds_only_output_targets_by_year_and_scope(world):
    from tests.factories import PlanFactory, TargetFactory

    _project(world, "甲", output="12", full_output_on=dt.date(2026, 6, 1))
    _project(world, "乙", park=world.park_b, output="3.5", full_output_on=dt.date(2026, 9, 1))
    _project(world, "丙", output="8", full_output_on=dt.date(2027, 3, 1))  # after the target year
    plan = PlanFactory(region=world.district, period_start=2024, period_end=2026)
    output = TargetFactory(plan=plan, metric="生物医药工业总产值", unit="亿元", kind="level", year=2026)
    park_output = TargetFactory(plan=plan, metric="工业总产值", unit="亿元", kind="level", year=2026)
    count = TargetFactory(plan=plan, metric="高新技术企业", unit="家", kind="level", year=2026)

    got = selectors.output_capacity_by_year([(output, None), (park_output, world.park_b.pk), (count, None)])

    assert got == {output.pk: {2026: Decimal("15.5")}, park_output.pk: {2026: Decimal("3.5")}}


def test_projects_are_registered_as_a_capacity_source_of_tracking(world):
    from tests.factories import PlanFactory, TargetFactory

    from bioplan.tracking import selectors as tracking_selectors

    _project(world, "甲", output="20", full_output_on=dt.date(2026, 6, 1))
    plan = PlanFactory(region=world.district, period_start=2024, period_end=2026)
    target = TargetFactory(
        plan=plan, metric="工业总产值", unit="亿元", kind="level", year=2026, value=Decimal(160)
    )

    assert selectors.output_capacity_by_year in tracking_selectors._capacity_sources
    assert tracking_selectors._capacity([(target, None)]) == {target.pk: {2026: Decimal("20.0000")}}
