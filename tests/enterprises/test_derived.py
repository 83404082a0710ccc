"""Each derived-indicator rule, computed from hand-built registries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.enterprises.factories import (
    EnterpriseFactory,
    FigureFactory,
    HonourFactory,
    MilestoneFactory,
    ProductFactory,
    parcel,
)
from tests.factories import PlanFactory, TargetFactory

from bioplan.enterprises import selectors, services
from bioplan.enterprises.derived import Period, rule_description, rule_parameter_problems, rule_value

D = dt.date


def value(world, kind, region=None, year=2023, quarter=0, **params):
    return rule_value(
        kind=kind, region=region or world.district, parameters=params, period=Period(year, quarter)
    )


def test_period_bounds():
    assert (Period(2023).start, Period(2023).end) == (D(2023, 1, 1), D(2023, 12, 31))
    assert (Period(2023, 2).start, Period(2023, 2).end) == (D(2023, 4, 1), D(2023, 6, 30))
    assert Period(2023, 3).window_start({"since_year": 2021}) == D(2021, 1, 1)


def test_honour_count_at_period_end(world):
    a = EnterpriseFactory(district=world.district, park=world.park_a)
    b = EnterpriseFactory(district=world.district)
    HonourFactory(enterprise=a, kind="high_tech", valid_from=D(2021, 1, 1), valid_until=D(2023, 12, 31))
    HonourFactory(enterprise=a, kind="high_tech", valid_from=D(2024, 1, 1))  # renewal: counted once
    HonourFactory(enterprise=b, kind="high_tech", valid_from=D(2023, 6, 1), valid_until=D(2023, 12, 30))
    HonourFactory(enterprise=EnterpriseFactory(district=world.other_district), kind="high_tech")
    assert value(world, "honour_count", honours=["high_tech"]) == 1  # b expired the day before period end
    assert value(world, "honour_count", year=2023, quarter=3, honours=["high_tech"]) == 2
    assert value(world, "honour_count", year=2024, honours=["high_tech"]) == 1
    assert value(world, "honour_count", region=world.park_a, honours=["high_tech"]) == 1
    assert value(world, "honour_count", region=world.city, honours=["high_tech"]) == 2


def test_honour_count_of_several_kinds_counts_enterprises_once(world):
    a = EnterpriseFactory(district=world.district)
    HonourFactory(enterprise=a, kind="tech_giant")
    HonourFactory(enterprise=a, kind="tech_giant_nurture")
    assert value(world, "honour_count", honours=["tech_giant", "tech_giant_nurture"]) == 1


def test_newly_listed_in_period_and_cumulative(world):
    for day, board in ((D(2022, 7, 1), "star"), (D(2023, 3, 1), "hkex"), (D(2023, 11, 1), "star")):
        HonourFactory(
            enterprise=EnterpriseFactory(district=world.district), kind="listed", valid_from=day, board=board
        )
    assert value(world, "newly_listed") == 2
    assert value(world, "newly_listed", boards=["star"]) == 1
    assert value(world, "newly_listed", since_year=2021) == 3
    assert value(world, "newly_listed", year=2023, quarter=1) == 1


def test_enterprise_count_by_figure_threshold_and_scale(world):
    for revenue, above in ((Decimal(150000), True), (Decimal(60000), True), (Decimal(9000), False)):
        FigureFactory(
            enterprise=EnterpriseFactory(district=world.district, is_above_scale=above),
            year=2023,
            revenue=revenue,
        )
    assert value(world, "enterprise_count", field="revenue", min=100000) == 1
    assert value(world, "enterprise_count", field="revenue", min=50000) == 2
    assert value(world, "enterprise_count", above_scale=True) == 2
    assert value(world, "enterprise_count", year=2022, field="revenue", min=1) == 0


def test_figure_sum_converts_to_yi_yuan(world):
    FigureFactory(
        enterprise=EnterpriseFactory(district=world.district, is_above_scale=True),
        industrial_output=Decimal(150000),
    )
    FigureFactory(enterprise=EnterpriseFactory(district=world.district), industrial_output=Decimal(5000))
    assert value(world, "figure_sum", field="industrial_output") == Decimal("15.5")
    assert value(world, "figure_sum", field="industrial_output", above_scale=True) == Decimal(15)
    assert value(world, "figure_sum", field="industrial_output", in_unit="万元") == Decimal(155000)
    assert value(world, "figure_sum", field="employees") == 160


def test_products_reaching_a_phase(world):
    e = EnterpriseFactory(district=world.district)
    MilestoneFactory(
        product=ProductFactory(enterprise=e, kind="drug"), phase="approved", reached_on=D(2023, 5, 1)
    )
    MilestoneFactory(
        product=ProductFactory(enterprise=e, kind="device"), phase="class3", reached_on=D(2022, 5, 1)
    )
    MilestoneFactory(
        product=ProductFactory(enterprise=e, kind="drug"), phase="phase1", reached_on=D(2023, 5, 1)
    )
    assert value(world, "products_reaching", phases=["approved", "class3"]) == 1
    assert value(world, "products_reaching", phases=["approved", "class3"], since_year=2021) == 2
    assert (
        value(world, "products_reaching", phases=["approved", "class3"], kinds=["device"], since_year=2021)
        == 1
    )


def test_land_supplied_from_the_park_registry(world):
    parcel(world.registry_a, "L1", "30.5", status="supplied", supplied_on=D(2023, 2, 1))
    parcel(world.registry_b, "L2", "100", status="supplied", supplied_on=D(2022, 2, 1), land_use="research")
    parcel(world.registry_b, "L3", "50")
    assert value(world, "land_supplied") == Decimal("30.5")
    assert value(world, "land_supplied", since_year=2021) == Decimal("130.5")
    assert value(world, "land_supplied", since_year=2021, land_uses=["research"]) == Decimal(100)
    assert value(world, "land_supplied", region=world.park_a, since_year=2021) == Decimal("30.5")


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        ("honour_count", {}, "缺少参数 honours"),
        ("honour_count", {"honours": ["nobel"]}, "honours 含未知取值：nobel"),
        ("figure_sum", {"field": "profit"}, "未知指标字段：profit"),
        ("enterprise_count", {"field": "revenue"}, "按指标计数时需给出 min（万元）"),
        ("products_reaching", {"phases": []}, "phases 应为非空列表"),
        ("land_supplied", {"land_uses": ["moon"]}, "land_uses 应为用地类型列表"),
        ("newly_listed", {"since_year": "2021"}, "since_year 应为年份"),
        ("nonsense", {}, "未注册的规则：nonsense"),
    ],
)
def test_parameter_problems(kind, params, problem):
    assert problem in rule_parameter_problems(kind, params)


def test_descriptions_are_chinese():
    assert rule_description("honour_count", {"honours": ["high_tech"]}) == "期末持有高新技术企业的企业数"


def test_binding_a_target_and_plan_rows(world):
    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023)
    target = TargetFactory(plan=plan, metric="高新技术企业", unit="家", value=Decimal(50))
    HonourFactory(
        enterprise=EnterpriseFactory(district=world.district), kind="high_tech", valid_from=D(2022, 3, 1)
    )
    with pytest.raises(PermissionDenied):
        services.derived_rule_bind(
            target=target,
            kind="honour_count",
            region=world.district,
            parameters={"honours": ["high_tech"]},
            user=world.liaison,
        )
    with pytest.raises(ValidationError):
        services.derived_rule_bind(
            target=target, kind="honour_count", region=world.district, parameters={}, user=world.office
        )
    rule = services.derived_rule_bind(
        target=target,
        kind="honour_count",
        region=world.district,
        parameters={"honours": ["high_tech"]},
        user=world.office,
    )
    assert rule.unit == "家"
    [row] = selectors.plan_derived_rows(plan=plan, today=D(2024, 5, 1))
    assert row.values == [(2021, 0), (2022, 1), (2023, 1)]
    assert row.latest == 1


def test_rules_are_visible_in_the_users_region_only(world):
    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023, is_current=True)
    rule = services.derived_rule_bind(
        target=TargetFactory(plan=plan, unit="亩"), kind="land_supplied", region=world.park_a, parameters={}
    )
    assert list(selectors.derived_rules_visible_to(world.office)) == [rule]
    city_user = world.leader
    city_user.region = world.city
    assert list(selectors.derived_rules_visible_to(city_user)) == [rule]
    assert not selectors.derived_rules_visible_to(world.other_office).exists()


# ------------------------------------------------------------------ the derived value is the actual
def _bound(world, target, kind, region=None, **parameters):
    return services.derived_rule_bind(
        target=target, kind=kind, region=region or world.district, parameters=parameters, user=world.office
    )


def test_tracking_judges_a_derived_target_on_the_rule_at_its_own_year(world):
    from bioplan.tracking.selectors import target_actuals

    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023)
    target = TargetFactory(plan=plan, metric="高新技术企业", unit="家", value=Decimal(3), year=2023)
    _bound(world, target, "honour_count", honours=["high_tech"])
    for day in (D(2022, 3, 1), D(2023, 5, 1), D(2024, 2, 1)):
        HonourFactory(enterprise=EnterpriseFactory(district=world.district), kind="high_tech", valid_from=day)

    final = target_actuals(plans=[plan])[target.pk]
    assert (final.value, final.period, final.source) == (
        2,
        (2023, 0),
        "派生指标：期末持有高新技术企业的企业数",
    )
    assert target_actuals(plans=[plan], as_of=(2024, 2))[target.pk].value == 2  # never 2024's 3
    assert target_actuals(plans=[plan], as_of=(2023, 1))[target.pk].value == 1  # the stock at 2023Q1 end
    [row] = selectors.plan_derived_rows(plan=plan, today=D(2024, 5, 1))
    assert row.actual == final and row.values[-1] == (2023, 2)


def test_a_flow_rule_counts_each_quarter_once_and_a_cumulative_rule_needs_no_baseline(world):
    from bioplan.tracking.selectors import target_actuals

    plan = PlanFactory(region=world.district, period_start=2022, period_end=2023)
    listed = TargetFactory(plan=plan, kind="increment", unit="家", value=Decimal(4), year=2023)
    land = TargetFactory(plan=plan, kind="increment", unit="亩", value=Decimal(200), year=2023)
    _bound(world, listed, "newly_listed")
    _bound(world, land, "land_supplied", since_year=2022)
    for day in (D(2021, 5, 1), D(2022, 5, 1), D(2023, 2, 1), D(2023, 8, 1)):
        HonourFactory(
            enterprise=EnterpriseFactory(district=world.district), kind="listed", valid_from=day, board="star"
        )
    parcel(world.registry_a, "L1", "40", status="supplied", supplied_on=D(2022, 6, 1))
    parcel(world.registry_a, "L2", "60", status="supplied", supplied_on=D(2023, 7, 1))

    year_end = target_actuals(plans=[plan])
    assert (year_end[listed.pk].value, year_end[land.pk].value) == (3, 100)  # listings of 2022–2023
    q2 = target_actuals(plans=[plan], as_of=(2023, 2))
    assert (q2[listed.pk].value, q2[land.pk].value) == (2, 40)


def test_the_dashboard_fingerprint_changes_with_the_registries_a_rule_reads(world):
    from bioplan.tracking.selectors import district_versions

    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023)
    ids = [world.district.pk, world.other_district.pk]
    before = district_versions(ids)
    _bound(world, TargetFactory(plan=plan, unit="家"), "honour_count", honours=["high_tech"])
    bound = district_versions(ids)
    HonourFactory(enterprise=EnterpriseFactory(district=world.district), kind="high_tech")
    honoured = district_versions(ids)
    parcel(world.registry_a, "L9", "5", status="supplied", supplied_on=D(2023, 6, 1))
    supplied = district_versions(ids)

    mine = [v[world.district.pk] for v in (before, bound, honoured, supplied)]
    assert len(set(mine)) == 4
    assert len({v[world.other_district.pk] for v in (before, bound, honoured, supplied)}) == 1
