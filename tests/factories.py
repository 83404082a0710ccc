"""factory_boy factories shared by the test suite."""

from __future__ import annotations

from decimal import Decimal

import factory

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.plans.models import Assignment, Plan, Target, Task


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"测试{n}区")
    level = RegionLevel.DISTRICT
    parent = None


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"区测试{n}委")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICE_ADMIN
    password = factory.django.Password("correct-horse-battery")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    region = factory.SubFactory(RegionFactory)
    industry = "生物医药"
    title = factory.Sequence(lambda n: f"测试行动方案{n}")
    period_start = 2021
    period_end = 2023
    status = "印发"
    lineage = factory.LazyAttribute(lambda o: f"{o.region.name}|{o.industry}|{o.title}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"T{n:02d}")
    metric = "工业总产值"
    kind = "level"
    value = Decimal("160")
    unit = "亿元"
    comparator = ">"
    year = 2023


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"任务{n}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = "lead"
    name_as_written = factory.LazyAttribute(lambda o: o.department.name)


def sample_district() -> Region:
    """The district of tests.conftest.SAMPLE_DRAFT (示范区, under 上海市), where plan imports put it."""
    from bioplan.core.services import region_get_or_create

    return region_get_or_create(name="示范区")
