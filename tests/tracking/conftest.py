"""Fixtures for tracking tests: a district with a plan, two departments with liaisons, an office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
import pytest
from django.utils import timezone
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PlanFactory,
    RegionFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
)

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.plans.models import Plan, Target, Task
from bioplan.tracking.models import Indicator, Observation, ReportingCycle


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("name", "unit")

    name = "工业总产值"
    unit = "亿元"
    aggregation = "sum"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.SubFactory(RegionFactory)
    year = 2021
    value = Decimal("100")
    source = "stat_flash"


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingCycle

    region = factory.SubFactory(RegionFactory)
    year = 2024
    quarter = 2
    deadline = dt.date(2024, 7, 10)


@dataclass
class World:
    region: Region
    park: Region
    plan: Plan
    dep_a: Department
    dep_b: Department
    office: User
    office2: User
    liaison_a: User
    liaison_b: User
    leader: User
    task1: Task  # led by A, B co-runs
    task2: Task  # led by B
    target: Target
    cycle: ReportingCycle


RUNNING_UNTIL = timezone.localdate().year + 1


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    region = RegionFactory(name="甲区")
    park = Region.objects.create(name="甲园", level=RegionLevel.PARK, parent=region)
    # Running today (a plan past its end year is 已到期: no cycles, reminders or forecasts; see
    # tests/tracking/test_final.py); its targets are for 2023 as written.
    plan = PlanFactory(region=region, title="甲区行动方案", period_start=2021, period_end=RUNNING_UNTIL)
    dep_a = DepartmentFactory(name="区经委", region=region)
    dep_b = DepartmentFactory(name="区科委", region=region)
    task1 = TaskFactory(plan=plan, number="1", title="壮大创新药产业", position=0)
    task2 = TaskFactory(plan=plan, number="2", title="建设特色园区", position=1)
    AssignmentFactory(task=task1, department=dep_a, role="lead", position=0)
    AssignmentFactory(task=task1, department=dep_b, role="co", position=1)
    AssignmentFactory(task=task2, department=dep_b, role="lead", position=0)
    target = TargetFactory(
        plan=plan,
        code="T01",
        metric="工业总产值",
        kind="level",
        value=Decimal("160"),
        unit="亿元",
        year=2023,
        level="floor",
        scope="甲区",
    )
    return World(
        region=region,
        park=park,
        plan=plan,
        dep_a=dep_a,
        dep_b=dep_b,
        office=UserFactory(username="office", role=Role.OFFICE_ADMIN, region=region),
        office2=UserFactory(username="office2", role=Role.OFFICE_ADMIN, region=region),
        liaison_a=UserFactory(
            username="liaison_a", role=Role.LIAISON, department=dep_a, region=region, email="a@example.org"
        ),
        liaison_b=UserFactory(username="liaison_b", role=Role.LIAISON, department=dep_b, region=region),
        leader=UserFactory(username="leader", role=Role.LEADER, region=region),
        task1=task1,
        task2=task2,
        target=target,
        cycle=CycleFactory(region=region, year=2024, quarter=2, deadline=dt.date(2024, 7, 10)),
    )
