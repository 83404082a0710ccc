"""Restoring deleted records from their history (audit.services.record_restore) and deleting with
the user recorded on every cascaded row (core.services.record_delete)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from tests.factories import TargetFactory

from bioplan.audit.selectors import RESTORE_REASON, deleted_records
from bioplan.audit.services import RestoreError, record_restore
from bioplan.core.services import record_delete
from bioplan.enterprises.choices import FigureSource
from bioplan.enterprises.models import Enterprise, EnterpriseFigure
from bioplan.enterprises.services import figure_record
from bioplan.plans.models import Assignment, Target, Task
from bioplan.tracking.models import Observation, ProgressReport

pytestmark = pytest.mark.django_db


def test_deleting_records_the_user_and_reason_on_every_cascaded_row(world):
    task_pk = world.task.pk
    rows = ((Task, task_pk), (Assignment, world.task.assignments.get().pk), (ProgressReport, world.report.pk))

    record_delete(instance=world.task, user=world.office, reason="重复录入")

    for model, pk in rows:
        last = model.history.filter(id=pk).first()
        assert (last.history_type, last.history_user, last.history_change_reason) == (
            "-",
            world.office,
            "重复录入",
        )


def test_restoring_a_target_recreates_it_as_it_was_and_records_the_restore(world):
    target_pk = world.target.pk
    created_at = world.target.created_at
    record_delete(instance=world.target, user=world.office, reason="误删")

    result = record_restore(model=Target, pk=target_pk, user=world.office)

    target = Target.objects.get(pk=target_pk)
    assert (target.metric, target.value, target.plan, target.created_at) == (
        "工业总产值",
        Decimal("160"),
        world.plan,
        created_at,
    )
    assert result.record == target
    last = target.history.first()
    assert (last.history_type, last.history_user, last.history_change_reason) == (
        "+",
        world.office,
        RESTORE_REASON,
    )


def test_restoring_a_task_brings_back_its_assignments_and_reports_deleted_with_it(world):
    task_pk = world.task.pk
    assignment_pk = world.task.assignments.get().pk
    record_delete(instance=world.task, user=world.office, reason="误删")
    assert not ProgressReport.objects.filter(pk=world.report.pk).exists()

    result = record_restore(model=Task, pk=task_pk, user=world.office)

    assert result.record.pk == task_pk
    assert {type(r.instance): r.instance.pk for r in result.restored[1:]} == {
        Assignment: assignment_pk,
        ProgressReport: world.report.pk,
    }
    assert Assignment.objects.filter(pk=assignment_pk, task_id=task_pk).exists()
    report = ProgressReport.objects.get(pk=world.report.pk)
    assert report.done_text == "完成立项"
    assert report.history.first().history_change_reason == RESTORE_REASON
    assert deleted_records(user=world.office) == []


def test_restore_without_cascade_leaves_the_children_deleted(world):
    task_pk = world.task.pk
    assignment_pk = world.task.assignments.get().pk
    record_delete(instance=world.task, user=world.office, reason="误删")

    record_restore(model=Task, pk=task_pk, user=world.office, with_cascade=False)

    assert Task.objects.filter(pk=task_pk).exists()
    assert not Assignment.objects.filter(pk=assignment_pk).exists()


def test_children_deleted_separately_are_not_restored_with_the_parent(world):
    task_pk = world.task.pk
    assignment = world.task.assignments.get()
    assignment_pk = assignment.pk
    record_delete(instance=assignment, user=world.liaison, reason="改派")
    record_delete(instance=world.task, user=world.office, reason="误删")

    record_restore(model=Task, pk=task_pk, user=world.office)

    assert not Assignment.objects.filter(pk=assignment_pk).exists()


def test_restoring_an_observation_and_an_enterprise(world):
    observation_pk = world.observation.pk
    enterprise_pk = world.enterprise.pk
    figure = figure_record(
        enterprise=world.enterprise,
        year=2023,
        quarter=0,
        source=FigureSource.STATISTICS,
        revenue=Decimal("10"),
        user=world.office,
    )
    record_delete(instance=world.observation, user=world.office, reason="误删")
    record_delete(instance=world.enterprise, user=world.office, reason="误删")

    record_restore(model=Observation, pk=observation_pk, user=world.office)
    result = record_restore(model=Enterprise, pk=enterprise_pk, user=world.office)

    assert Observation.objects.get(pk=observation_pk).value == Decimal("120")
    assert Enterprise.objects.get(pk=enterprise_pk).name == "甲生物"
    assert EnterpriseFigure.objects.get(pk=figure.pk).revenue == Decimal("10")
    assert len(result.restored) == 2


def test_restore_is_refused_when_the_record_exists(world):
    target_pk = world.target.pk
    with pytest.raises(RestoreError, match="现已存在"):
        record_restore(model=Target, pk=target_pk, user=world.office)


def test_restore_is_refused_when_the_record_was_never_deleted(world):
    with pytest.raises(RestoreError, match="没有"):
        record_restore(model=Target, pk=999_999, user=world.office)


def test_restore_is_refused_naming_the_deleted_parent(world):
    task_pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")
    record_delete(instance=world.plan, user=world.office, reason="误删")

    with pytest.raises(RestoreError, match="行动方案") as caught:
        record_restore(model=Task, pk=task_pk, user=world.office)

    assert "请先恢复" in caught.value.message
    assert not Task.objects.filter(pk=task_pk).exists()


def test_restore_is_refused_when_a_unique_constraint_would_be_violated(world):
    target_pk = world.target.pk
    record_delete(instance=world.target, user=world.office, reason="误删")
    TargetFactory(plan=world.plan, code="T01")

    with pytest.raises(RestoreError, match="冲突"):
        record_restore(model=Target, pk=target_pk, user=world.office)

    assert Target.objects.filter(plan=world.plan, code="T01").count() == 1


def test_only_an_office_admin_of_the_region_may_restore(world):
    target_pk = world.target.pk
    record_delete(instance=world.target, user=world.office, reason="误删")

    with pytest.raises(PermissionDenied):
        record_restore(model=Target, pk=target_pk, user=world.liaison)
    with pytest.raises(Target.DoesNotExist):  # another district's record: as if it never existed
        record_restore(model=Target, pk=target_pk, user=world.other_office)
    assert not Target.objects.filter(pk=target_pk).exists()


def test_restoring_a_live_record_of_another_district_does_not_reveal_it(world):
    with pytest.raises(Target.DoesNotExist):
        record_restore(model=Target, pk=world.target.pk, user=world.other_office)
    with pytest.raises(RestoreError, match="现已存在"):
        record_restore(model=Target, pk=world.target.pk, user=world.office)


def test_a_restored_record_can_be_deleted_and_restored_again(world):
    target_pk = world.target.pk
    record_delete(instance=world.target, user=world.office, reason="误删")
    record_restore(model=Target, pk=target_pk, user=world.office)
    record_delete(instance=Target.objects.get(pk=target_pk), user=world.office, reason="再删")

    record_restore(model=Target, pk=target_pk, user=world.office)

    assert [h.history_type for h in Target.history.filter(id=target_pk)] == ["+", "-", "+", "-", "+"]


def test_restoring_a_plan_brings_back_its_sections_targets_tasks_assignments_and_parks(draft_dict, world):
    from bioplan.ingest.draft import PlanDraft
    from bioplan.plans.models import Park, Plan, Section
    from bioplan.plans.services import plan_import

    draft_dict["plan"]["region"] = "甲区"
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict), user=world.office, source_file="a.json").plan
    plan_pk = plan.pk
    # a sub-section holding a task: restored after its parent section, before the task
    sub = Section.objects.create(
        plan=plan, parent=Section.objects.filter(plan=plan).first(), title="子节", position=9
    )
    Task.objects.filter(plan=plan, number="2").update(section=sub)

    def contents() -> dict[str, object]:
        return {
            "sections": sorted(
                Section.objects.filter(plan_id=plan_pk).values_list("pk", "title", "parent_id")
            ),
            "targets": sorted(Target.objects.filter(plan_id=plan_pk).values_list("pk", "code")),
            "tasks": sorted(Task.objects.filter(plan_id=plan_pk).values_list("pk", "number", "section_id")),
            "assignments": sorted(Assignment.objects.filter(task__plan_id=plan_pk).values_list("pk", "role")),
            "parks": sorted(Park.objects.filter(plan_id=plan_pk).values_list("pk", "name")),
        }

    before = contents()
    assert before["sections"] and all(section_id for _pk, _n, section_id in before["tasks"])
    record_delete(instance=plan, user=world.office, reason="误删")
    assert not Task.objects.filter(plan_id=plan_pk).exists()

    result = record_restore(model=Plan, pk=plan_pk, user=world.office)

    assert contents() == before
    assert result.skipped == []
    assert result.notes == []
    assert deleted_records(user=world.office) == []
