from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bioplan.core.models import Department, DepartmentAlias, Region, User
from bioplan.core.services import (
    department_kind_for,
    department_lookup,
    department_resolve,
    region_get_or_create,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("区经委", "bureau"),
        ("区规划资源局", "bureau"),
        ("华新镇", "town"),
        ("相关街镇", "town"),
        ("西虹桥商务区管委会", "committee"),
        ("区属国资集团", "company"),
        ("上海市青浦工业园区发展（集团）有限公司", "company"),
        ("区投资促进服务中心", "bureau"),
        ("某某协会", "other"),
    ],
)
def test_department_kind_is_guessed_from_the_name_ending(name, kind):
    assert department_kind_for(name) == kind


@pytest.mark.django_db
def test_region_hierarchy_city_district_park():
    district = region_get_or_create(name="示范区")
    park = region_get_or_create(name="示范园", level="park", parent=district)

    assert [r.name for r in park.ancestors()] == ["上海市", "示范区"]
    assert district.parent.level == "city"
    assert region_get_or_create(name="示范区") == district


@pytest.mark.django_db
def test_two_roots_with_one_name_are_refused():
    Region.objects.create(name="上海市", level="city")
    with pytest.raises(IntegrityError):
        Region.objects.create(name="上海市", level="city")


@pytest.mark.django_db
def test_known_variant_resolves_to_the_existing_department_and_becomes_an_alias():
    region = region_get_or_create(name="示范区")
    first = department_resolve(name="区市场监管局", region=region)

    second = department_resolve(name="区市场监督管理局", region=region)

    assert second == first
    assert list(DepartmentAlias.objects.values_list("name", flat=True)) == ["区市场监督管理局"]
    assert department_lookup(name="区市场监督管理局", region=region) == first


@pytest.mark.django_db
def test_a_stored_alias_resolves_even_when_not_in_the_variant_table():
    region = region_get_or_create(name="示范区")
    department = department_resolve(name="区生物医药产业推进办", region=region)
    DepartmentAlias.objects.create(department=department, name="区生物医药办")

    assert department_resolve(name="区生物医药办", region=region) == department
    assert Department.objects.count() == 1


@pytest.mark.django_db
def test_departments_of_different_regions_stay_apart():
    a = department_resolve(name="区经委", region=region_get_or_create(name="甲区"))
    b = department_resolve(name="区经委", region=region_get_or_create(name="乙区"))

    assert a != b and a.kind == "bureau" and a.short_name == "经委"


@pytest.mark.django_db
def test_empty_department_name_is_refused():
    with pytest.raises(ValueError, match="empty"):
        department_resolve(name="  ", region=None)


@pytest.mark.django_db
def test_liaison_without_department_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role="liaison")


@pytest.mark.django_db
def test_liaison_without_department_fails_validation():
    with pytest.raises(ValidationError):
        User(username="y", role="liaison").full_clean()
