"""Loading the demo: plans from demo/plans/*.json, one user per role, simulated tracking data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from bioplan.core.choices import Role
from bioplan.core.models import Department, Region, User
from bioplan.ingest.draft import PlanDraft
from bioplan.plans import services as plan_services
from bioplan.plans.models import Plan


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    region: str
    department: str | None
    label: str


DEMO_PASSWORD = "bioplan-demo-2026"
DEMO_USERS = (
    DemoUser("office", DEMO_PASSWORD, Role.OFFICE_ADMIN, "青浦区", None, "办公室管理员 office admin"),
    DemoUser("jingwei", DEMO_PASSWORD, Role.LIAISON, "青浦区", "区经委", "区经委联络员 liaison"),
    DemoUser("kewei", DEMO_PASSWORD, Role.LIAISON, "青浦区", "区科委", "区科委联络员 liaison"),
    DemoUser("park", DEMO_PASSWORD, Role.PARK_OPERATOR, "青浦区", None, "园区运营方 park operator"),
    DemoUser("leader", DEMO_PASSWORD, Role.LEADER, "青浦区", None, "区领导（只读） leader"),
    DemoUser("city", DEMO_PASSWORD, Role.LEADER, "上海市", None, "市级领导（只读） city leader"),
    DemoUser("researcher", DEMO_PASSWORD, Role.RESEARCHER, "上海市", None, "研究人员（只读） researcher"),
)


def demo_plan_files() -> list[str]:
    folder = resources.files("bioplan.demo").joinpath("plans")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))


@transaction.atomic
def demo_load(*, reset: bool = False) -> list[plan_services.ImportResult]:
    """Import every demo plan (idempotent: unchanged plans stay as they are) and create the demo users."""
    if reset:
        Plan.objects.all().delete()
    folder = resources.files("bioplan.demo").joinpath("plans")
    results = []
    for name in demo_plan_files():
        draft = PlanDraft.from_dict(
            json.loads(folder.joinpath(name).read_text(encoding="utf-8")), source=name
        )
        results.append(plan_services.plan_import(draft=draft, source_file=draft.document or name))
    for spec in DEMO_USERS:
        demo_user_create(spec)
    return results


def demo_user_create(spec: DemoUser) -> User:
    region = Region.objects.filter(name=spec.region).first()
    department = None
    if spec.department:
        department = Department.objects.filter(region=region, name=spec.department).first()
        if department is None:
            department = Department.objects.create(
                region=region, name=spec.department, short_name=spec.department.lstrip("区")
            )
    user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
    user.role = spec.role
    user.region = region
    user.department = department
    user.first_name = spec.label.split(" ")[0]
    user.is_staff = spec.role == Role.OFFICE_ADMIN
    user.is_superuser = spec.role == Role.OFFICE_ADMIN
    user.set_password(spec.password)
    user.full_clean()
    user.save()
    return user
