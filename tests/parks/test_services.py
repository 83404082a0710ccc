import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.enterprises.factories import parcel, space
from tests.factories import PlanFactory

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.parks import selectors, services
from bioplan.parks.models import FloorSpace, LandParcel, Park


def test_sync_registers_the_parks_of_the_plans(world):
    from bioplan.plans.models import Park as PlanPark

    region = Region.objects.create(name="练塘产业社区", level=RegionLevel.PARK, parent=world.district)
    plan = PlanFactory(region=world.district)
    PlanPark.objects.create(
        plan=plan,
        region=region,
        name=region.name,
        park_type="区域型",
        layout_group="3",
        focus=["现代中药"],
        new_land_mu=Decimal("200"),
    )
    parks = services.park_sync_from_plans(district=world.district, user=world.office)
    registered = Park.objects.get(region=region)
    assert registered in parks
    assert (registered.park_type, registered.layout_group, registered.focus, registered.planned_land_mu) == (
        "area",
        "3",
        ["现代中药"],
        Decimal("200.00"),
    )
    assert registered.history.get().history_user == world.office


def test_parcel_supply_records_date_and_history(world):
    p = services.parcel_create(
        park=world.registry_a, code="QP-01", area_mu=Decimal("50"), land_use="industrial", user=world.operator
    )
    services.parcel_supply(
        parcel=p, supplied_on=dt.date(2023, 5, 1), supplied_to="某药业", user=world.operator
    )
    assert p.status == "supplied" and p.history.count() == 2
    with pytest.raises(ValidationError):
        services.parcel_supply(
            parcel=p, supplied_on=dt.date(2023, 6, 1), supplied_to="又一家", user=world.office
        )


def test_operator_cannot_touch_another_park(world):
    with pytest.raises(PermissionDenied):
        services.parcel_create(
            park=world.registry_b, code="X", area_mu=Decimal("5"), land_use="industrial", user=world.operator
        )
    building = services.building_create(park=world.registry_b, name="B1", user=world.office)
    with pytest.raises(PermissionDenied):
        services.space_create(
            building=building, floor="1F", space_type="office", area_m2=Decimal("100"), user=world.operator
        )


def test_supplied_parcel_needs_a_date(world):
    with pytest.raises(ValidationError):
        services.parcel_create(
            park=world.registry_a,
            code="QP-02",
            area_mu=Decimal("5"),
            land_use="industrial",
            status="supplied",
            user=None,
        )


def test_unknown_condition_is_refused(world):
    building = services.building_create(park=world.registry_a, name="A1", user=None)
    with pytest.raises(ValidationError):
        services.space_create(
            building=building,
            floor="1F",
            space_type="office",
            area_m2=Decimal("100"),
            facilities=["helipad"],
            user=None,
        )


def test_letting_needs_a_tenant(world):
    s = space(world.registry_a)
    with pytest.raises(ValidationError):
        services.space_let(space=s, tenant_name="", user=world.office)
    services.space_let(space=s, tenant_name="某企业", user=world.operator)
    assert FloorSpace.objects.get(pk=s.pk).status == "occupied"


def test_visible_and_editable_querysets(world):
    a = parcel(world.registry_a, "A", "10")
    b = parcel(world.registry_b, "B", "10")
    assert set(LandParcel.objects.visible_to(world.office)) == {a, b}
    assert list(LandParcel.objects.editable_by(world.operator)) == [a]
    assert not LandParcel.objects.visible_to(world.other_office).exists()
    assert list(Park.objects.editable_by(world.operator)) == [world.registry_a]


def test_occupancy_statistics_per_park(world, django_assert_max_num_queries):
    space(world.registry_a, "1F", area="1000", status="occupied", tenant_name="甲")
    space(world.registry_a, "2F", area="500", status="reserved", tenant_name="乙")
    space(world.registry_a, "3F", area="500")
    parcel(world.registry_a, "L1", "30", status="supplied", supplied_on=dt.date(2023, 1, 1))
    parcel(world.registry_a, "L2", "20")
    with django_assert_max_num_queries(4):
        rows = {o.park.name: o for o in selectors.occupancy_by_park(user=world.office)}
    a = rows["青浦生命科学园"]
    assert (a.floor_total, a.floor_occupied, a.floor_reserved, a.floor_vacant) == (2000, 1000, 500, 500)
    assert a.occupancy_rate == Decimal("0.5")
    assert (a.land_total, a.land_supplied, a.land_available, a.land_supply_rate) == (
        50,
        30,
        20,
        Decimal("0.6"),
    )
    assert rows["重固医疗器械园"].occupancy_rate is None


def test_demand_matches_rank_vacant_space_of_the_district(world):
    space(world.registry_a, "1F", space_type="gmp_plant", area="2000", facilities=["hazmat_store"])
    space(world.registry_a, "2F", space_type="gmp_plant", area="2000", status="occupied", tenant_name="x")
    space(world.registry_b, "1F", space_type="office", area="2000")
    demand = services.demand_create(
        requester_name="某药企",
        district=world.district,
        space_type="gmp_plant",
        area_min=Decimal("1800"),
        needs=["hazmat_store"],
        preferred_park=world.registry_a,
        user=world.office,
    )
    matches = selectors.demand_matches(demand=demand)
    assert [m.offer.label for m in matches] == ["青浦生命科学园 1号楼 1F", "重固医疗器械园 1号楼 1F"]
    assert matches[0].eligible and matches[0].score == 100
    assert not matches[1].eligible


def test_land_demand_matches_available_parcels(world):
    parcel(world.registry_a, "L1", "30")
    parcel(world.registry_b, "L2", "100")
    parcel(world.registry_b, "L3", "28", status="supplied", supplied_on=dt.date(2023, 1, 1))
    demand = services.demand_create(
        requester_name="新项目",
        district=world.district,
        space_type="land",
        area_min=Decimal("25"),
        area_max=Decimal("40"),
        user=None,
    )
    matches = selectors.demand_matches(demand=demand)
    assert [m.offer.key.split("-")[0] for m in matches] == ["parcel", "parcel"]
    assert "L1" in matches[0].offer.label


def test_space_filter_by_condition(world):
    s = space(world.registry_a, "1F", facilities=["p2_lab", "animal_house"])
    space(world.registry_a, "2F", facilities=["discharge"])
    found = selectors.space_list(user=world.office, filters=selectors.SpaceFilter(facility="p2_lab"))
    assert list(found) == [s]


def test_parks_sync_command(world):
    from io import StringIO

    from django.core.management import call_command
    from tests.factories import PlanFactory

    from bioplan.plans.models import Park as PlanPark

    named = Region.objects.create(name="练塘产业社区", level=RegionLevel.PARK, parent=world.district)
    PlanPark.objects.create(plan=PlanFactory(region=world.district), region=named, name=named.name)
    # A park-level region no plan names as a park (e.g. the scope of a target) is not registered.
    Region.objects.create(name="练塘产业社区（含周边）", level=RegionLevel.PARK, parent=world.district)
    out = StringIO()
    call_command("parks_sync", district="青浦区", stdout=out)
    assert out.getvalue() == "青浦区: 1 parks registered\n"
    assert Park.objects.filter(name="练塘产业社区", park_type="other").exists()
    assert not Park.objects.filter(name="练塘产业社区（含周边）").exists()


def test_an_unknown_demand_status_is_a_validation_error_naming_it(world):
    demand = services.demand_create(
        requester_name="某药企",
        district=world.district,
        space_type="gmp_plant",
        area_min=Decimal("1800"),
        user=world.office,
    )
    with pytest.raises(ValidationError) as exc:
        services.demand_set_status(demand=demand, status="lost", user=world.office)
    assert exc.value.message_dict == {"status": ["未知的需求状态：lost"]}
    demand.refresh_from_db()
    assert demand.status != "lost"
