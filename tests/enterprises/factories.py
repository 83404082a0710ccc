"""factory_boy factories and a small world (a city, two districts, parks, users) for the registry tests."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import factory

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.enterprises.choices import FigureSource, HonourKind, ProductKind, ProductPhase, Segment
from bioplan.enterprises.creditcode import ALPHABET, credit_code_check_char
from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product, ProductMilestone
from bioplan.parks.choices import SpaceType
from bioplan.parks.models import Building, FloorSpace, LandParcel, Park

_serial = itertools.count(1)


def make_credit_code(n: int | None = None, region_code: str = "310118") -> str:
    """A valid code: 91 (enterprise), region code, a 9-character organisation code, check char."""
    n = next(_serial) if n is None else n
    org = ""
    for _ in range(9):
        n, r = divmod(n, 31)
        org = ALPHABET[r] + org
    first17 = "91" + region_code + org
    return first17 + credit_code_check_char(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试生物医药有限公司{n}")
    credit_code = factory.LazyFunction(make_credit_code)
    district = None
    segment = Segment.CHEMICAL_DRUG
    is_above_scale = False
    founded_on = dt.date(2015, 6, 1)


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = HonourKind.HIGH_TECH
    valid_from = dt.date(2021, 1, 1)
    valid_until = None


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseFigure

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    quarter = 0
    revenue = Decimal("5000")
    industrial_output = Decimal("4000")
    rd_expense = Decimal("300")
    tax = Decimal("200")
    employees = 80
    source = FigureSource.STATISTICS


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"产品{n}")
    kind = ProductKind.DRUG
    phase = ProductPhase.PHASE_1


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductMilestone

    product = factory.SubFactory(ProductFactory)
    phase = ProductPhase.PHASE_1
    reached_on = dt.date(2022, 5, 1)


@dataclass
class World:
    city: Region
    district: Region
    other_district: Region
    park_a: Region
    park_b: Region
    other_park: Region
    registry_a: Park
    registry_b: Park
    operator_department: Department
    liaison_department: Department
    office: User
    operator: User
    liaison: User
    leader: User
    other_office: User


def build_world() -> World:
    city = Region.objects.create(name="上海市", level=RegionLevel.CITY)
    district = Region.objects.create(name="青浦区", level=RegionLevel.DISTRICT, parent=city)
    other = Region.objects.create(name="闵行区", level=RegionLevel.DISTRICT, parent=city)
    park_a = Region.objects.create(name="青浦生命科学园", level=RegionLevel.PARK, parent=district)
    park_b = Region.objects.create(name="重固医疗器械园", level=RegionLevel.PARK, parent=district)
    other_park = Region.objects.create(name="莘庄工业区", level=RegionLevel.PARK, parent=other)
    operator_dept = Department.objects.create(
        name="生命科学园运营公司", region=district, kind="park_operator"
    )
    liaison_dept = Department.objects.create(name="区经委", region=district, kind="bureau")
    registry_a = Park.objects.create(
        region=park_a, district=district, name=park_a.name, operator_department=operator_dept
    )
    registry_b = Park.objects.create(region=park_b, district=district, name=park_b.name)
    Park.objects.create(region=other_park, district=other, name=other_park.name)

    def user(name: str, role: str, region: Region, department: Department | None = None) -> User:
        return User.objects.create(username=name, role=role, region=region, department=department)

    return World(
        city=city,
        district=district,
        other_district=other,
        park_a=park_a,
        park_b=park_b,
        other_park=other_park,
        registry_a=registry_a,
        registry_b=registry_b,
        operator_department=operator_dept,
        liaison_department=liaison_dept,
        office=user("office", Role.OFFICE_ADMIN, district),
        operator=user("operator", Role.PARK_OPERATOR, district, operator_dept),
        liaison=user("liaison", Role.LIAISON, district, liaison_dept),
        leader=user("leader", Role.LEADER, district),
        other_office=user("other_office", Role.OFFICE_ADMIN, other),
    )


def space(
    park: Park,
    floor: str = "1F",
    space_type: str = SpaceType.STANDARD_PLANT,
    area: str = "1000",
    **kw: object,
) -> FloorSpace:
    building, _ = Building.objects.get_or_create(park=park, name="1号楼")
    return FloorSpace.objects.create(
        building=building, floor=floor, space_type=space_type, area_m2=Decimal(area), **kw
    )


def parcel(park: Park, code: str, area: str, **kw: object) -> LandParcel:
    return LandParcel.objects.create(park=park, code=code, area_mu=Decimal(area), **kw)
