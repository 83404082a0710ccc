from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import translation

from bioplan.core.models import Department, DepartmentAlias, Region
from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid
from bioplan.plans.models import Assignment, Park, Plan, Target, Task
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db


def _import(raw):  # type: ignore[no-untyped-def]
    return plan_import(draft=PlanDraft.from_dict(raw), source_file="sample.json")


def test_import_stores_targets_tasks_assignments_and_parks(draft_dict):
    result = _import(draft_dict)

    plan = result.plan
    assert result.created is True
    assert (plan.region.name, plan.region.parent.name) == ("示范区", "上海市")
    assert (plan.period_start, plan.period_end, plan.status, plan.version) == (2024, 2026, "征求意见稿", 1)
    t1 = plan.targets.get(code="T01")
    assert (t1.value, t1.comparator, t1.level, t1.baseline_value, t1.baseline_year) == (
        Decimal("500"),
        ">",
        "floor",
        Decimal("300"),
        2023,
    )
    t3 = plan.targets.get(code="T03")
    assert (t3.value, t3.value_max, t3.comparator, t3.scope) == (
        Decimal("8"),
        Decimal("10"),
        "range",
        "示范园",
    )
    task1 = plan.tasks.get(number="1")
    assert [(a.name_as_written, a.role) for a in task1.assignments.order_by("position")] == [
        ("区经委", "lead"),
        ("区科委", "co"),
        ("区市场监督管理局", "co"),
    ]
    assert task1.section.title == "主要任务"
    park = plan.parks.get()
    assert (park.name, park.park_type, park.layout_group, park.focus, park.new_land_mu) == (
        "示范园",
        "特色核心园",
        "1",
        ["创新药", "高端医疗器械"],
        Decimal("500"),
    )
    assert park.region.level == "park" and park.region.parent == plan.region


def test_spelling_variants_resolve_to_one_department_with_an_alias(draft_dict):
    plan = _import(draft_dict).plan

    variants = Department.objects.filter(region=plan.region, name__in=["区市场监管局", "区市场监督管理局"])
    assert variants.count() == 1
    department = variants.get()
    assert DepartmentAlias.objects.filter(department=department).values_list("name", flat=True).count() == 1
    assert Task.objects.for_department(department).count() == 2


def test_importing_identical_content_again_is_idempotent(draft_dict):
    first = _import(draft_dict)
    again = _import(draft_dict)

    assert again.created is False
    assert again.plan.pk == first.plan.pk
    assert Plan.objects.count() == 1
    assert Target.objects.count() == 3 and Task.objects.count() == 2 and Park.objects.count() == 1


def test_the_extractors_own_notes_do_not_make_a_new_version(draft_dict):
    first = _import(draft_dict)
    draft_dict["targets"][0] |= {"confidence": 0.42, "reason": "表格行；另一条规则"}
    draft_dict["tasks"][0] |= {"confidence": 0.9, "reason": "编号一致"}
    again = _import(draft_dict)
    assert again.created is False and again.plan.pk == first.plan.pk
    draft_dict["targets"][0]["value"] = 777
    assert _import(draft_dict).created is True


def test_importing_changed_content_creates_a_new_version_and_keeps_the_old(draft_dict):
    first = _import(draft_dict).plan
    draft_dict["targets"][0]["value"] = 520
    draft_dict["plan"]["status"] = "印发"
    draft_dict["plan"]["title"] = draft_dict["plan"]["title"].replace("（征求意见稿）", "")

    second = _import(draft_dict)

    first.refresh_from_db()
    assert second.created is True and second.previous == first
    assert (second.plan.version, second.plan.is_current) == (2, True)
    assert (first.version, first.is_current) == (1, False)
    assert first.targets.get(code="T01").value == Decimal("500")
    assert second.plan.targets.get(code="T01").value == Decimal("520")


def test_invalid_draft_leaves_nothing_behind(draft_dict):
    draft_dict["tasks"].append(dict(draft_dict["tasks"][0]))  # task number 1 twice

    with pytest.raises(DraftInvalid, match="重点任务序号 1 重复"):
        _import(draft_dict)

    assert Plan.objects.count() == 0 and Region.objects.count() == 0 and Department.objects.count() == 0


def test_failure_half_way_rolls_back_the_whole_import(draft_dict, monkeypatch):
    from bioplan.plans import services

    def explode(plan):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_after_import", [explode])
    with pytest.raises(RuntimeError):
        _import(draft_dict)

    assert Plan.objects.count() == 0 and Task.objects.count() == 0 and Assignment.objects.count() == 0


def test_draft_without_region_is_refused(draft_dict):
    draft_dict["plan"]["region"] = None

    with pytest.raises(DraftInvalid, match=r"缺少方案所属的区（如 青浦区）"):
        _import(draft_dict)
    with translation.override("en"), pytest.raises(DraftInvalid, match=r"plan\.region is required"):
        _import(draft_dict)


def test_version_of_forces_a_new_version_of_a_renamed_plan(draft_dict):
    first = _import(draft_dict).plan
    draft_dict["plan"]["title"] = "完全不同的标题"

    second = plan_import(draft=PlanDraft.from_dict(draft_dict), version_of=first)

    assert second.plan.lineage == first.lineage and second.plan.version == 2


def test_unique_target_code_per_plan_is_enforced_by_the_database(draft_dict):
    plan = _import(draft_dict).plan

    with pytest.raises(IntegrityError):
        Target.objects.create(
            plan=plan, code="T01", metric="x", kind="level", value=1, unit="家", comparator="="
        )


def test_range_target_without_upper_value_is_refused_by_the_database(draft_dict):
    plan = _import(draft_dict).plan

    with pytest.raises(IntegrityError):
        Target.objects.create(
            plan=plan, code="T99", metric="x", kind="level", value=1, unit="家", comparator="range"
        )


def test_upper_value_below_value_is_refused_by_the_database(draft_dict):
    plan = _import(draft_dict).plan

    with pytest.raises(IntegrityError):
        Target.objects.create(
            plan=plan,
            code="T98",
            metric="x",
            kind="level",
            value=5,
            value_max=2,
            unit="家",
            comparator="range",
        )


def test_only_one_current_version_per_lineage(draft_dict):
    plan = _import(draft_dict).plan

    with pytest.raises(IntegrityError):
        Plan.objects.create(
            region=plan.region, industry="生物医药", title="x", lineage=plan.lineage, version=2
        )


def test_period_must_be_ordered(draft_dict):
    plan = _import(draft_dict).plan

    with pytest.raises(IntegrityError):
        Plan.objects.filter(pk=plan.pk).update(period_start=2030)


def test_every_change_is_in_the_history(draft_dict, office_user):
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict), user=office_user).plan
    target = plan.targets.get(code="T01")
    target.value = Decimal("510")
    target.save()

    records = list(target.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert [r.value for r in records] == [Decimal("500"), Decimal("510")]
    assert records[0].history_user == office_user
    assert plan.history.get().history_user == office_user
    assert plan.tasks.get(number="1").history.get().history_user == office_user


# ------------------------------------------------------------------------------ task_save
def _office_and_plan():  # type: ignore[no-untyped-def]
    from tests.factories import PlanFactory, RegionFactory, UserFactory

    from bioplan.core.choices import Role

    region = RegionFactory(name="甲区")
    office = UserFactory(username="office", role=Role.OFFICE_ADMIN, region=region)
    return office, PlanFactory(region=region)


def test_task_save_creates_the_task_with_lead_and_co_departments_in_the_history(draft_dict):
    from bioplan.plans.services import task_save

    office, plan = _office_and_plan()
    task, outcome = task_save(
        plan=plan,
        number="1",
        title="壮大创新药",
        section_title="重点任务",
        leads=["区经委"],
        cos=["区科委"],
        user=office,
    )

    assert outcome == "created"
    assert [(a.department.name, a.role) for a in task.assignments.order_by("position")] == [
        ("区经委", "lead"),
        ("区科委", "co"),
    ]
    assert task.section is not None and task.section.title == "重点任务"
    created = task.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        office,
        "task breakdown imported",
    )
    assert {h.history_user for h in Assignment.history.filter(task_id=task.pk)} == {office}


def test_task_save_records_who_removed_a_department(draft_dict):
    from bioplan.plans.services import task_save

    office, plan = _office_and_plan()
    task, _ = task_save(
        plan=plan, number="1", title="壮大创新药", leads=["区经委"], cos=["区科委"], user=office
    )
    _, outcome = task_save(plan=plan, number="1", title="壮大创新药", leads=["区经委"], cos=[], user=office)

    assert outcome == "updated"
    removed = Assignment.history.get(task_id=task.pk, history_type="-")
    assert (removed.department.name, removed.history_user) == ("区科委", office)


def test_task_save_writes_nothing_when_unchanged(draft_dict):
    from bioplan.plans.services import task_save

    office, plan = _office_and_plan()
    task, _ = task_save(plan=plan, number="1", title="壮大创新药", leads=["区经委"], user=office)
    rows = (task.history.count(), Assignment.history.count())

    _, outcome = task_save(plan=plan, number="1", title="壮大创新药", leads=["区经委"], user=office)

    assert outcome == "unchanged"
    assert (task.history.count(), Assignment.history.count()) == rows


@pytest.mark.parametrize("who", ["office of another district", "liaison", "leader"])
def test_task_save_is_refused_outside_the_district_office(draft_dict, who):
    from django.core.exceptions import PermissionDenied
    from tests.factories import RegionFactory, UserFactory

    from bioplan.core.choices import Role
    from bioplan.plans.services import task_save

    _, plan = _office_and_plan()
    user = {
        "office of another district": lambda: UserFactory(
            username="o2", role=Role.OFFICE_ADMIN, region=RegionFactory(name="乙区")
        ),
        "liaison": lambda: UserFactory(
            username="l",
            role=Role.LIAISON,
            region=plan.region,
            department=Department.objects.create(name="区经委", region=plan.region),
        ),
        "leader": lambda: UserFactory(username="d", role=Role.LEADER, region=plan.region),
    }[who]()

    with pytest.raises(PermissionDenied):
        task_save(plan=plan, number="1", title="壮大创新药", leads=["区经委"], user=user)
    assert not Task.objects.filter(plan=plan).exists()
