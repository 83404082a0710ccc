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
    # Only the operator's `admin` account: the Django admin (/admin/) and every region. The office
    # admin is an ordinary user of its district, so it sees and edits what its dashboard shows.
    superuser: bool = False


DEMO_PASSWORD = "bioplan-demo-2026"
DEMO_USERS = (
    DemoUser("office", DEMO_PASSWORD, Role.OFFICE_ADMIN, "青浦区", None, "办公室管理员 office admin"),
    DemoUser("jingwei", DEMO_PASSWORD, Role.LIAISON, "青浦区", "区经委", "区经委联络员 liaison"),
    DemoUser("kewei", DEMO_PASSWORD, Role.LIAISON, "青浦区", "区科委", "区科委联络员 liaison"),
    DemoUser("park", DEMO_PASSWORD, Role.PARK_OPERATOR, "青浦区", None, "园区运营方 park operator"),
    DemoUser("leader", DEMO_PASSWORD, Role.LEADER, "青浦区", None, "区领导（只读） leader"),
    DemoUser("city", DEMO_PASSWORD, Role.LEADER, "上海市", None, "市级领导（只读） city leader"),
    DemoUser("researcher", DEMO_PASSWORD, Role.RESEARCHER, "上海市", None, "研究人员（只读） researcher"),
    DemoUser(
        "admin",
        DEMO_PASSWORD,
        Role.OFFICE_ADMIN,
        "上海市",
        None,
        "系统管理员（/admin/） operator",
        superuser=True,
    ),
)


def demo_plan_files() -> list[str]:
    folder = resources.files("bioplan.demo").joinpath("plans")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))


def demo_drafts() -> list[tuple[str, PlanDraft]]:
    """The demo plans as (file name, contract draft) (src/bioplan/demo/plans/*.json)."""
    folder = resources.files("bioplan.demo").joinpath("plans")
    return [
        (
            name,
            PlanDraft.from_dict(json.loads(folder.joinpath(name).read_text(encoding="utf-8")), source=name),
        )
        for name in demo_plan_files()
    ]


def demo_plans() -> list[Plan]:
    """The plans the demo stored itself: current, and with exactly a demo file's content. A plan the
    office imported (a new version of a demo plan included) is not one of them, so the simulated
    registries and figures never touch it."""
    hashes = {plan_services.content_hash(d) for _name, d in demo_drafts()}
    return list(
        Plan.objects.current().filter(content_hash__in=hashes).select_related("region").order_by("pk")
    )


@transaction.atomic
def demo_load(*, reset: bool = False) -> list[plan_services.ImportResult]:
    """Import every demo plan whose lineage is not stored yet and create the demo users.

    A plan of the same lineage already stored — the demo's own from an earlier run, or a version the
    office imported — is left as it is (never a new version), so running the demo again changes nothing.
    """
    if reset:
        Plan.objects.all().delete()
    results = []
    for name, draft in demo_drafts():
        stored = (
            Plan.objects.filter(lineage=plan_services.lineage_key(draft))
            .order_by("-is_current", "-version")
            .first()
        )
        if stored is not None:
            results.append(plan_services.ImportResult(plan=stored, created=False, previous=None))
            continue
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
    user.is_staff = spec.superuser
    user.is_superuser = spec.superuser
    user.set_password(spec.password)
    user.full_clean()
    user.save()
    return user
