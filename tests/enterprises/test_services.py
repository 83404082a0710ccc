import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.enterprises.factories import EnterpriseFactory, make_credit_code

from bioplan.enterprises import services
from bioplan.enterprises.choices import (
    FigureSource,
    HonourKind,
    ListingBoard,
    ProductKind,
    ProductPhase,
    Segment,
)
from bioplan.enterprises.models import Enterprise, Honour


def test_office_registers_an_enterprise_with_history(world):
    e = services.enterprise_create(
        name=" 青浦药业 ",
        credit_code="91350100 m000100y43",
        district=world.district,
        park=world.park_a,
        segment=Segment.BIOLOGIC,
        user=world.office,
    )
    assert e.name == "青浦药业"
    assert e.credit_code == "91350100M000100Y43"
    record = e.history.get()
    assert record.history_user == world.office
    assert record.history_change_reason == "enterprise registered"


def test_a_wrong_check_digit_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(
            name="X",
            credit_code="91350100M000100Y44",
            district=world.district,
            segment=Segment.CXO,
            user=world.office,
        )
    assert "校验码错误" in str(exc.value.message_dict["credit_code"])


def test_park_must_be_in_the_enterprise_district(world):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(
            name="X",
            credit_code=make_credit_code(),
            district=world.district,
            park=world.other_park,
            segment=Segment.CXO,
            user=None,
        )
    assert "park" in exc.value.message_dict


def test_park_operator_registers_only_in_its_parks(world):
    services.enterprise_create(
        name="园内企业",
        credit_code=make_credit_code(),
        district=world.district,
        park=world.park_a,
        segment=Segment.DEVICE,
        user=world.operator,
    )
    with pytest.raises(PermissionDenied):
        services.enterprise_create(
            name="园外企业",
            credit_code=make_credit_code(),
            district=world.district,
            park=world.park_b,
            segment=Segment.DEVICE,
            user=world.operator,
        )


def test_office_of_another_district_cannot_edit(world):
    e = EnterpriseFactory(district=world.district)
    with pytest.raises(PermissionDenied):
        services.enterprise_update(enterprise=e, name="改名", user=world.other_office)


def test_liaison_and_leader_cannot_edit_enterprises(world):
    e = EnterpriseFactory(district=world.district)
    for user in (world.liaison, world.leader):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(enterprise=e, is_above_scale=True, user=user)


def test_update_records_a_history_row(world):
    e = EnterpriseFactory(district=world.district)
    services.enterprise_update(enterprise=e, is_above_scale=True, user=world.office)
    assert e.history.count() == 2
    assert e.history.first().history_change_reason == "enterprise updated"


def test_unknown_field_cannot_be_updated(world):
    e = EnterpriseFactory(district=world.district)
    with pytest.raises(ValueError):
        services.enterprise_update(enterprise=e, credit_code="X", user=world.office)


def test_high_tech_honour_defaults_to_three_years(world):
    e = EnterpriseFactory(district=world.district)
    h = services.honour_grant(
        enterprise=e, kind=HonourKind.HIGH_TECH, valid_from=dt.date(2022, 11, 1), user=world.office
    )
    assert h.valid_until == dt.date(2025, 10, 31)


def test_listing_needs_a_board(world):
    e = EnterpriseFactory(district=world.district)
    with pytest.raises(ValidationError):
        services.honour_grant(
            enterprise=e, kind=HonourKind.LISTED, valid_from=dt.date(2023, 1, 5), user=world.office
        )
    h = services.honour_grant(
        enterprise=e,
        kind=HonourKind.LISTED,
        valid_from=dt.date(2023, 1, 5),
        board=ListingBoard.STAR,
        stock_code="688001",
        user=world.office,
    )
    assert h.board == "star"


def test_honour_held_on_respects_validity(world):
    e = EnterpriseFactory(district=world.district)
    h = services.honour_grant(
        enterprise=e,
        kind=HonourKind.SPECIALIZED,
        valid_from=dt.date(2021, 3, 1),
        valid_until=dt.date(2024, 2, 28),
        user=None,
    )
    assert Honour.objects.held_on(dt.date(2021, 3, 1)).filter(pk=h.pk).exists()
    assert Honour.objects.held_on(dt.date(2024, 2, 28)).filter(pk=h.pk).exists()
    assert not Honour.objects.held_on(dt.date(2024, 2, 29)).filter(pk=h.pk).exists()
    assert not Honour.objects.held_on(dt.date(2021, 2, 28)).filter(pk=h.pk).exists()
    services.honour_end(honour=h, valid_until=dt.date(2022, 1, 1), user=world.office)
    assert not Honour.objects.held_on(dt.date(2023, 1, 1)).filter(pk=h.pk).exists()


def test_honour_cannot_end_before_it_starts(world):
    e = EnterpriseFactory(district=world.district)
    h = services.honour_grant(
        enterprise=e, kind=HonourKind.GAZELLE, valid_from=dt.date(2021, 3, 1), user=None
    )
    with pytest.raises(ValidationError):
        services.honour_end(honour=h, valid_until=dt.date(2020, 1, 1), user=None)


def test_figures_are_corrected_in_place_with_history(world):
    e = EnterpriseFactory(district=world.district)
    f1 = services.figure_record(
        enterprise=e, year=2023, source=FigureSource.ENTERPRISE, revenue=Decimal("100"), user=world.office
    )
    f2 = services.figure_record(
        enterprise=e, year=2023, source=FigureSource.STATISTICS, revenue=Decimal("120"), user=world.office
    )
    assert f1.pk == f2.pk
    assert f2.revenue == Decimal("120")
    assert [h.revenue for h in f2.history.order_by("history_date")] == [Decimal("100.00"), Decimal("120.00")]


def test_product_advances_forward_only_with_dates_in_order(world):
    e = EnterpriseFactory(district=world.district)
    p = services.product_create(
        enterprise=e,
        name="PD-1",
        kind=ProductKind.DRUG,
        phase=ProductPhase.IND,
        reached_on=dt.date(2021, 4, 1),
        user=world.office,
    )
    services.product_advance(
        product=p, phase=ProductPhase.PHASE_1, reached_on=dt.date(2021, 9, 1), user=world.office
    )
    with pytest.raises(ValidationError):
        services.product_advance(
            product=p, phase=ProductPhase.IND, reached_on=dt.date(2022, 1, 1), user=world.office
        )
    with pytest.raises(ValidationError):
        services.product_advance(
            product=p, phase=ProductPhase.PHASE_3, reached_on=dt.date(2021, 5, 1), user=world.office
        )
    assert list(p.milestones.values_list("phase", flat=True)) == ["ind", "phase1"]


def test_device_phase_does_not_apply_to_drugs(world):
    e = EnterpriseFactory(district=world.district)
    with pytest.raises(ValidationError):
        services.product_create(
            enterprise=e,
            name="X",
            kind=ProductKind.DRUG,
            phase=ProductPhase.CLASS_3,
            reached_on=dt.date(2021, 4, 1),
            user=None,
        )


def test_visible_to_scopes_by_region(world):
    mine = EnterpriseFactory(district=world.district, park=world.park_a)
    theirs = EnterpriseFactory(district=world.other_district)
    assert list(Enterprise.objects.visible_to(world.office)) == [mine]
    assert list(Enterprise.objects.visible_to(world.other_office)) == [theirs]
    city_user = world.leader
    city_user.region = world.city
    assert set(Enterprise.objects.visible_to(city_user)) == {mine, theirs}


def test_editable_by_park_operator_is_its_parks_only(world):
    a = EnterpriseFactory(district=world.district, park=world.park_a)
    EnterpriseFactory(district=world.district, park=world.park_b)
    EnterpriseFactory(district=world.district, park=None)
    assert list(Enterprise.objects.editable_by(world.operator)) == [a]
    assert Enterprise.objects.editable_by(world.liaison).count() == 0
    assert Enterprise.objects.editable_by(world.office).count() == 3
