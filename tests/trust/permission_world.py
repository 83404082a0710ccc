"""A small world for the permission matrix: two districts, A and B, each with the same things in it.

In each district: an issued plan (targets, a task led by department X, one led by Y, one co-run),
a reporting cycle with a report of X and one of Y, figures entered by X and by Y, a park P1 run by
the park operator's company and a park P2 that is not, an enterprise, a project, a building with
floor space, a land parcel and a space demand in each park. District A also has a draft plan, so
the researcher rule (published plans only) is tried. One user per role works in A, plus the
office of B.

Every object carries a marker (a unique string or number) that lists, pages and downloads show, so
a test can tell whether a row leaked into a list or a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from bioplan.core.choices import DepartmentKind, RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.core.services import region_get_or_create
from bioplan.enterprises import services as enterprise_services
from bioplan.enterprises.models import DerivedRule, Enterprise, ImportJob
from bioplan.parks import services as park_services
from bioplan.parks.models import FloorSpace, LandParcel, Park, SpaceDemand
from bioplan.plans.models import Assignment, ImportDraft, Plan, Target, Task
from bioplan.plans.models import Park as PlanPark
from bioplan.projects import services as project_services
from bioplan.projects.models import Project
from bioplan.tracking.models import (
    Indicator,
    Observation,
    ProgressReport,
    Reminder,
    ReportAttachment,
    ReportingCycle,
    TargetBinding,
)

ROLES = ("office-A", "office-B", "liaison-X", "park-P1", "leader-A", "researcher")


@dataclass
class District:
    """Everything of one district, keyed like the matrix names it."""

    key: str  # "A" or "B"
    region: Region
    p1: Region
    p2: Region
    dept_x: Department
    dept_y: Department
    operator: Department
    plan: Plan
    target: Target
    task_x: Task
    task_y: Task
    task_co: Task
    plan_park: PlanPark
    cycle: ReportingCycle
    report_x: ProgressReport
    report_y: ProgressReport
    figure_x: Observation
    figure_y: Observation
    reminder_x: Reminder
    reminder_y: Reminder
    registry_p1: Park
    registry_p2: Park
    enterprise_p1: Enterprise
    enterprise_p2: Enterprise
    project_p1: Project
    project_p2: Project
    space_p1: FloorSpace
    space_p2: FloorSpace
    parcel_p1: LandParcel
    parcel_p2: LandParcel
    demand_p1: SpaceDemand
    demand_p2: SpaceDemand
    derived_rule: DerivedRule
    import_job: ImportJob


@dataclass
class PermissionWorld:
    city: Region
    a: District
    b: District
    draft_plan: Plan  # district A, 征求意见稿: not published
    draft_target: Target
    indicator: Indicator
    users: dict[str, User] = field(default_factory=dict)
    uploads: dict[str, ImportDraft] = field(default_factory=dict)  # plans under review, per district

    def district(self, key: str) -> District:
        return self.a if key == "A" else self.b


_credit_serial = iter(range(1000, 100000))


def _credit_code() -> str:
    from tests.enterprises.factories import make_credit_code

    return make_credit_code(next(_credit_serial))


def _district(key: str, city: Region, indicator: Indicator, office: User) -> District:
    name = {"A": "甲区", "B": "乙区"}[key]
    region = region_get_or_create(name=name)
    p1 = Region.objects.create(name=f"{name}一园", level=RegionLevel.PARK, parent=region)
    p2 = Region.objects.create(name=f"{name}二园", level=RegionLevel.PARK, parent=region)
    dept_x = Department.objects.create(name=f"{name}经委", region=region, kind=DepartmentKind.BUREAU)
    dept_y = Department.objects.create(name=f"{name}科委", region=region, kind=DepartmentKind.BUREAU)
    operator = Department.objects.create(
        name=f"{name}一园运营公司", region=region, kind=DepartmentKind.PARK_OPERATOR
    )

    plan = Plan.objects.create(
        region=region,
        industry="生物医药",
        title=f"{name}生物医药行动方案PLAN{key}",
        period_start=2024,
        period_end=2026,
        status="印发",
        lineage=f"{name}|生物医药|行动方案",
    )
    target = Target.objects.create(
        plan=plan,
        code="T01",
        metric=f"产业规模METRIC{key}",
        kind="level",
        value=Decimal("500"),
        unit="亿元",
        comparator=">",
        year=2026,
        scope=name,
    )
    count_target = Target.objects.create(
        plan=plan,
        code="T02",
        position=1,
        metric=f"高新技术企业COUNT{key}",
        kind="level",
        value=Decimal("10"),
        unit="家",
        comparator=">=",
        year=2026,
        scope=name,
    )
    task_x = Task.objects.create(plan=plan, number="1", position=0, title=f"创新药TASKX{key}")
    task_y = Task.objects.create(plan=plan, number="2", position=1, title=f"医疗器械TASKY{key}")
    task_co = Task.objects.create(plan=plan, number="3", position=2, title=f"特色园区TASKCO{key}")
    for task, dept, role, pos in (
        (task_x, dept_x, "lead", 0),
        (task_y, dept_y, "lead", 0),
        (task_co, dept_x, "lead", 0),
        (task_co, dept_y, "co", 1),
    ):
        Assignment.objects.create(
            task=task, department=dept, role=role, name_as_written=dept.name, position=pos
        )
    plan_park = PlanPark.objects.create(plan=plan, region=p1, name=f"{name}一园PLANPARK{key}")
    TargetBinding.objects.create(target=target, indicator=indicator, region=region)

    cycle = ReportingCycle.objects.create(
        region=region, year=2024, quarter=2, deadline=dt.date(2024, 7, 10), opened_by=office
    )
    submitted = timezone.make_aware(dt.datetime(2024, 7, 1, 10))
    report_x = ProgressReport.objects.create(
        cycle=cycle,
        task=task_x,
        department=dept_x,
        done_text=f"REPORTX{key}",
        problems=f"PROBLEMX{key}",
        state="submitted",
        submitted_at=submitted,
    )
    report_y = ProgressReport.objects.create(
        cycle=cycle,
        task=task_y,
        department=dept_y,
        done_text=f"REPORTY{key}",
        problems=f"PROBLEMY{key}",
        state="submitted",
        submitted_at=submitted,
    )
    for report in (report_x, report_y):
        ReportAttachment.objects.create(
            report=report,
            name=f"{report.done_text}.txt",
            file=ContentFile(f"ATTACHED-{report.done_text}", name="a.txt"),
        )
    base = Decimal("7000") if key == "A" else Decimal("8000")
    figure_x = Observation.objects.create(
        indicator=indicator,
        region=region,
        year=2024,
        quarter=1,
        value=base + Decimal("311.37"),
        source="stat_flash",
        department=dept_x,
        note=f"FIGUREX{key}",
    )
    figure_y = Observation.objects.create(
        indicator=indicator,
        region=region,
        year=2024,
        quarter=1,
        value=base + Decimal("611.37"),
        source="department",
        department=dept_y,
        note=f"FIGUREY{key}",
    )
    reminder_x = Reminder.objects.create(
        cycle=cycle, department=dept_x, kind="missing", count=1, message=f"REMINDX{key}"
    )
    reminder_y = Reminder.objects.create(
        cycle=cycle, department=dept_y, kind="missing", count=1, message=f"REMINDY{key}"
    )

    registry_p1 = park_services.park_register(region=p1, operator_department=operator)
    registry_p2 = park_services.park_register(region=p2)
    enterprise_p1 = enterprise_services.enterprise_create(
        name=f"一园药业ENTP1{key}",
        credit_code=_credit_code(),
        district=region,
        park=p1,
        segment="chemical_drug",
    )
    enterprise_p2 = enterprise_services.enterprise_create(
        name=f"二园器械ENTP2{key}",
        credit_code=_credit_code(),
        district=region,
        park=p2,
        segment="chemical_drug",
    )
    for enterprise in (enterprise_p1, enterprise_p2):
        enterprise_services.honour_grant(
            enterprise=enterprise, kind="high_tech", valid_from=dt.date(2023, 1, 1)
        )
        enterprise_services.figure_record(
            enterprise=enterprise, year=2023, source="statistics", revenue=Decimal("5000")
        )
        enterprise_services.cultivation_place(
            enterprise=enterprise, tier="potential", entered_on=dt.date(2023, 1, 1)
        )
        enterprise_services.product_create(
            enterprise=enterprise,
            name=f"产品{enterprise.pk}",
            kind="drug",
            phase="phase1",
            reached_on=dt.date(2023, 3, 1),
        )
    project_p1 = project_services.project_create(
        name=f"一园项目PROJP1{key}",
        investor_name="投资方",
        district=region,
        park=p1,
        project_type="new",
        total_investment=Decimal("10"),
        responsible_department=dept_x,
        planned={"signed": dt.date(2024, 1, 1), "land": dt.date(2024, 6, 1)},
    )
    project_p2 = project_services.project_create(
        name=f"二园项目PROJP2{key}",
        investor_name="投资方",
        district=region,
        park=p2,
        project_type="new",
        total_investment=Decimal("20"),
        responsible_department=dept_y,
        planned={"signed": dt.date(2024, 1, 1), "land": dt.date(2024, 6, 1)},
    )
    spaces, parcels = [], []
    for tag, registry in (("P1", registry_p1), ("P2", registry_p2)):
        building = park_services.building_create(park=registry, name=f"楼BLD{tag}{key}")
        spaces.append(
            park_services.space_create(
                building=building, floor="1F", space_type="standard_plant", area_m2=Decimal("1000")
            )
        )
        parcels.append(
            park_services.parcel_create(
                park=registry, code=f"PARCEL{tag}{key}", area_mu=Decimal("30"), land_use="industrial"
            )
        )
    demand_p1 = park_services.demand_create(
        requester_name=f"需求DEMP1{key}",
        district=region,
        space_type="standard_plant",
        area_min=Decimal("500"),
        preferred_park=registry_p1,
    )
    demand_p2 = park_services.demand_create(
        requester_name=f"需求DEMP2{key}",
        district=region,
        space_type="standard_plant",
        area_min=Decimal("500"),
        preferred_park=registry_p2,
    )
    derived_rule = enterprise_services.derived_rule_bind(
        target=count_target, kind="honour_count", region=region, parameters={"honours": ["high_tech"]}
    )
    import_job = ImportJob.objects.create(
        sheet_kind="enterprises", file_name=f"IMPORT{key}.xlsx", region=region
    )
    return District(
        key=key,
        region=region,
        p1=p1,
        p2=p2,
        dept_x=dept_x,
        dept_y=dept_y,
        operator=operator,
        plan=plan,
        target=target,
        task_x=task_x,
        task_y=task_y,
        task_co=task_co,
        plan_park=plan_park,
        cycle=cycle,
        report_x=report_x,
        report_y=report_y,
        figure_x=figure_x,
        figure_y=figure_y,
        reminder_x=reminder_x,
        reminder_y=reminder_y,
        registry_p1=registry_p1,
        registry_p2=registry_p2,
        enterprise_p1=enterprise_p1,
        enterprise_p2=enterprise_p2,
        project_p1=project_p1,
        project_p2=project_p2,
        space_p1=spaces[0],
        space_p2=spaces[1],
        parcel_p1=parcels[0],
        parcel_p2=parcels[1],
        demand_p1=demand_p1,
        demand_p2=demand_p2,
        derived_rule=derived_rule,
        import_job=import_job,
    )


def _user(username: str, role: str, region: Region | None, department: Department | None = None) -> User:
    user = User(username=username, role=role, region=region, department=department)
    user.set_unusable_password()
    user.save()
    return user


def upload_content(region: Region) -> dict[str, object]:
    """The contract JSON of a district's uploaded plan under review (two targets, one task, one park)."""
    target = {"metric": "UPLOADMETRIC", "kind": "level", "value": 1, "unit": "亿元", "comparator": ">"}
    return {
        "document": "upload.docx",
        "plan": {"region": region.name, "industry": "生物医药", "title": f"{region.name}上传方案UPLOADED"},
        "targets": [{**target, "id": "T01", "year": 2026}, {**target, "id": "T02", "year": 2027}],
        "tasks": [{"number": "1", "title": "UPLOADTASK", "lead_departments": [], "departments": []}],
        "departments": [],
        "parks": [{"name": "UPLOADPARK"}],
    }


def _upload(region: Region, office: User) -> ImportDraft:
    return ImportDraft.objects.create(
        office_region=region,
        region=region,
        source_file="upload.docx",
        source_text="UPLOADMETRIC 超过1亿元",
        content=upload_content(region),
        created_by=office,
    )


def build_permission_world() -> PermissionWorld:
    """Create the world (about 200 rows); the caller wraps it in a transaction it rolls back."""
    city = region_get_or_create(name="上海市", level=RegionLevel.CITY)
    indicator = Indicator.objects.create(name="生物医药产业规模", unit="亿元")
    office_a = _user("office-A", Role.OFFICE_ADMIN, region_get_or_create(name="甲区"))
    office_b = _user("office-B", Role.OFFICE_ADMIN, region_get_or_create(name="乙区"))
    a = _district("A", city, indicator, office_a)
    b = _district("B", city, indicator, office_b)
    draft = Plan.objects.create(
        region=a.region,
        industry="生物医药",
        title="甲区生物医药行动方案（征求意见稿）DRAFTPLAN",
        period_start=2025,
        period_end=2027,
        status="征求意见稿",
        lineage="甲区|生物医药|征求意见稿方案",
    )
    draft_target = Target.objects.create(
        plan=draft,
        code="T01",
        metric="DRAFTMETRIC",
        kind="level",
        value=Decimal("1"),
        unit="亿元",
        comparator=">",
        year=2027,
    )
    draft_task = Task.objects.create(plan=draft, number="1", title="DRAFTTASK")
    Assignment.objects.create(
        task=draft_task, department=a.dept_x, role="lead", name_as_written=a.dept_x.name
    )
    world = PermissionWorld(
        city=city, a=a, b=b, draft_plan=draft, draft_target=draft_target, indicator=indicator
    )
    world.users = {
        "office-A": office_a,
        "office-B": office_b,
        "liaison-X": _user("liaison-X", Role.LIAISON, a.region, a.dept_x),
        "park-P1": _user("park-P1", Role.PARK_OPERATOR, a.region, a.operator),
        "leader-A": _user("leader-A", Role.LEADER, a.region),
        "researcher": _user("researcher", Role.RESEARCHER, city),
    }
    world.uploads = {"A": _upload(a.region, office_a), "B": _upload(b.region, office_b)}
    ImportJob.objects.filter(pk=a.import_job.pk).update(created_by=world.users["liaison-X"])
    ImportJob.objects.filter(pk=b.import_job.pk).update(created_by=office_b)
    # Who submitted what matters for the "cannot review your own report" rule.
    liaison_y = _user("liaison-Y", Role.LIAISON, a.region, a.dept_y)
    ProgressReport.objects.filter(pk=a.report_x.pk).update(submitted_by=world.users["liaison-X"])
    ProgressReport.objects.filter(pk=a.report_y.pk).update(submitted_by=liaison_y)
    Observation.objects.filter(pk=a.figure_x.pk).update(entered_by=world.users["liaison-X"])
    Observation.objects.filter(pk=a.figure_y.pk).update(entered_by=liaison_y)
    return world
