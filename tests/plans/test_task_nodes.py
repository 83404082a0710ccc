"""Task nodes (任务节点): from the plan's 完成时限, entered by the office; they colour the task."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bioplan.core.choices import Role
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import TaskNode
from bioplan.plans.services import plan_import, task_node_delete, task_node_save
from bioplan.tracking.progress import GREEN, RED, UNKNOWN, YELLOW, TaskReportFacts, task_status

pytestmark = pytest.mark.django_db


def _plan(draft_dict):  # type: ignore[no-untyped-def]
    raw = copy.deepcopy(draft_dict)
    raw["tasks"][0]["deadline"] = {"text": "2025年底前建成创新药中试平台", "date": "2025-12-31"}
    raw["tasks"][1]["deadline"] = {"text": "长期坚持", "date": None}
    return plan_import(draft=PlanDraft.from_dict(raw)).plan


def test_a_dated_deadline_of_the_draft_becomes_a_node(draft_dict) -> None:
    plan = _plan(draft_dict)
    [node] = TaskNode.objects.filter(task__plan=plan)
    assert (node.task.number, node.title, node.due_date, node.source) == (
        "1",
        "2025年底前建成创新药中试平台",
        dt.date(2025, 12, 31),
        "plan",
    )


def test_office_adds_completes_and_removes_a_node_others_may_not(
    draft_dict, office_user, django_user_model
) -> None:
    plan = _plan(draft_dict)
    task = plan.tasks.get(number="2")
    leader = django_user_model.objects.create(username="leader", role=Role.LEADER, region=plan.region)
    with pytest.raises(PermissionDenied):
        task_node_save(task=task, title="选址", due_date=dt.date(2025, 6, 30), user=leader)
    node = task_node_save(task=task, title="选址", due_date=dt.date(2025, 6, 30), user=office_user)
    with pytest.raises(ValidationError):
        task_node_save(task=task, title="选址", due_date=dt.date(2025, 6, 30), user=office_user)
    task_node_save(
        task=task,
        node=node,
        title="选址",
        due_date=dt.date(2025, 6, 30),
        done_date=dt.date(2025, 6, 1),
        evidence="区政府常务会议纪要",
        user=office_user,
    )
    node.refresh_from_db()
    assert node.done_date == dt.date(2025, 6, 1) and node.history.first().history_user == office_user  # type: ignore[union-attr]
    task_node_delete(node=node, user=office_user)
    assert not TaskNode.objects.filter(pk=node.pk).exists()


def test_node_page_shows_nodes_and_the_office_form(
    client, office_client, draft_dict, django_user_model
) -> None:
    plan = _plan(draft_dict)
    task = plan.tasks.get(number="1")
    url = reverse("plans:task_nodes", args=[task.pk])
    response = office_client.post(
        url, {"title": "完成中试平台验收", "due_date": "2026-03-31", "evidence": ""}
    )
    assert response.status_code == 302
    html = office_client.get(url).content.decode()
    assert html.count('class="node-row') == 2 and "完成中试平台验收" in html
    bad = office_client.post(url, {"title": "", "due_date": "not a date"})
    assert bad.status_code == 200 and TaskNode.objects.filter(task=task).count() == 2
    leader = django_user_model.objects.create(username="leader", role=Role.LEADER, region=plan.region)
    client.force_login(leader)
    assert "完成中试平台验收" in client.get(url).content.decode()
    assert client.post(url, {"title": "x", "due_date": "2026-01-01"}).status_code == 403


def test_nodes_follow_the_task_into_a_new_version(draft_dict, office_user) -> None:
    plan = _plan(draft_dict)
    task = plan.tasks.get(number="2")
    task_node_save(task=task, title="选址", due_date=dt.date(2025, 6, 30), user=office_user)
    raw = copy.deepcopy(draft_dict)
    raw["plan"]["status"] = "送审稿"
    raw["tasks"][0]["deadline"] = {"text": "2025年底前建成创新药中试平台", "date": "2025-12-31"}
    second = plan_import(draft=PlanDraft.from_dict(raw)).plan
    assert list(
        TaskNode.objects.filter(task__plan=second)
        .values_list("task__number", "title")
        .order_by("task__number")
    ) == [
        ("1", "2025年底前建成创新药中试平台"),
        ("2", "选址"),
    ]
    assert TaskNode.objects.filter(task__plan=plan).count() == 1  # the plan-text node of v1 stays with v1


TODAY = dt.date(2025, 9, 1)
STARTED, DUE = dt.date(2024, 1, 1), dt.date(2026, 12, 31)


def test_an_overdue_open_node_makes_a_task_yellow_then_red_after_the_grace() -> None:
    on_track = [TaskReportFacts("in_progress", 80)]
    assert task_status(on_track, due=DUE, today=TODAY, started=STARTED) == GREEN
    assert (
        task_status(on_track, due=DUE, today=TODAY, started=STARTED, open_node_due=dt.date(2025, 8, 20))
        == YELLOW
    )
    assert (
        task_status(on_track, due=DUE, today=TODAY, started=STARTED, open_node_due=dt.date(2025, 7, 1)) == RED
    )
    assert (
        task_status(on_track, due=DUE, today=TODAY, started=STARTED, open_node_due=dt.date(2025, 9, 30))
        == GREEN
    )
    assert (
        task_status([], due=DUE, today=TODAY, started=STARTED, open_node_due=dt.date(2025, 8, 20)) == YELLOW
    )
    assert task_status([], due=DUE, today=TODAY, started=STARTED) == UNKNOWN


def test_a_task_reported_done_is_never_red() -> None:
    done = [TaskReportFacts("done", 100), TaskReportFacts("in_progress", 100)]
    assert (
        task_status(
            done, due=dt.date(2024, 12, 31), today=TODAY, started=STARTED, open_node_due=dt.date(2024, 1, 1)
        )
        == GREEN
    )


def test_task_statuses_reads_the_nodes(draft_dict, office_user) -> None:
    from bioplan.tracking.selectors import task_statuses

    plan = _plan(draft_dict)
    task = plan.tasks.get(number="2")
    before = task_statuses(plans=[plan], today=dt.date(2025, 3, 1))[task.pk]
    task_node_save(task=task, title="选址", due_date=dt.date(2024, 12, 1), user=office_user)
    assert (before, task_statuses(plans=[plan], today=dt.date(2025, 3, 1))[task.pk]) == (UNKNOWN, RED)
