"""A small world for the history tests: two districts, each with an office; a plan with a target,
tasks, assignments and a progress report in the first; an enterprise and a figure in each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PlanFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
)
from tests.tracking.conftest import CycleFactory, IndicatorFactory, ObservationFactory

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.enterprises.models import Enterprise
from bioplan.plans.models import Plan, Target, Task
from bioplan.tracking.models import Observation, ProgressReport
from bioplan.tracking.services import report_save


@dataclass
class World:
    district: Region
    park: Region
    other_district: Region
    plan: Plan
    target: Target
    task: Task
    other_task: Task
    dep: Department
    office: User
    other_office: User
    liaison: User
    leader: User
    researcher: User
    report: ProgressReport
    observation: Observation
    enterprise: Enterprise
    other_enterprise: Enterprise


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    city = Region.objects.create(name="上海市", level=RegionLevel.CITY)
    district = Region.objects.create(name="甲区", level=RegionLevel.DISTRICT, parent=city)
    park = Region.objects.create(name="甲园", level=RegionLevel.PARK, parent=district)
    other = Region.objects.create(name="乙区", level=RegionLevel.DISTRICT, parent=city)
    dep = DepartmentFactory(name="区经委", region=district)
    plan = PlanFactory(region=district, title="甲区行动方案")
    target = TargetFactory(plan=plan, code="T01", metric="工业总产值", value=Decimal("160"))
    task = TaskFactory(plan=plan, number="1", title="壮大创新药产业", position=0)
    other_task = TaskFactory(plan=plan, number="2", title="建设特色园区", position=1)
    AssignmentFactory(task=task, department=dep, role="lead")
    AssignmentFactory(task=other_task, department=dep, role="lead")
    liaison = UserFactory(
        username="liaison", role=Role.LIAISON, department=dep, region=district, first_name="小王"
    )
    cycle = CycleFactory(region=district, year=2024, quarter=2, deadline=dt.date(2024, 7, 10))
    report = report_save(cycle=cycle, task=task, user=liaison, done_text="完成立项")
    return World(
        district=district,
        park=park,
        other_district=other,
        plan=plan,
        target=target,
        task=task,
        other_task=other_task,
        dep=dep,
        office=UserFactory(username="office", role=Role.OFFICE_ADMIN, region=district),
        other_office=UserFactory(username="other_office", role=Role.OFFICE_ADMIN, region=other),
        liaison=liaison,
        leader=UserFactory(username="leader", role=Role.LEADER, region=district),
        researcher=UserFactory(username="researcher", role=Role.RESEARCHER, region=district),
        report=report,
        observation=ObservationFactory(
            indicator=IndicatorFactory(), region=district, year=2023, value=Decimal("120")
        ),
        enterprise=EnterpriseFactory(name="甲生物", district=district),
        other_enterprise=EnterpriseFactory(name="乙生物", district=other),
    )
