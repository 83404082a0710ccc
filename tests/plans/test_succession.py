"""A new version of a plan carries its tracking (docs/tracking.md, "Versions carry tracking")."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bioplan.core.choices import Role
from bioplan.core.models import User
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Plan, Target, Task
from bioplan.plans.services import plan_import, target_successor_set, task_successor_set
from bioplan.plans.succession import TargetFacts, TaskFacts, match_targets, match_tasks
from bioplan.tracking.choices import ReportState
from bioplan.tracking.models import ProgressReport, TargetBinding
from bioplan.tracking.selectors import dashboard

TODAY = dt.date(2024, 12, 1)


def qingpu() -> dict[str, Any]:
    text = resources.files("bioplan.demo").joinpath("plans", "qingpu_2021-2023.json").read_text("utf-8")
    return json.loads(text)


def as_review_draft(raw: dict[str, Any]) -> dict[str, Any]:
    """The 送审稿: T13 (高新技术企业) raised to 60, T16 (楼宇面积) removed and the codes after it
    renumbered (as extraction numbers them in reading order), one target added at the end."""
    new = copy.deepcopy(raw)
    new["plan"]["status"] = "送审稿"
    new["plan"]["title"] = raw["plan"]["title"] + "（送审稿）"
    targets = [t for t in new["targets"] if t["id"] != "T16"]
    for t in targets:
        if t["id"] == "T13":
            t["value"] = 60
    added = copy.deepcopy(targets[-1])
    added.update(
        metric="生物医药领域独角兽企业", kind="level", value=2, unit="家", scope="青浦区", level=None
    )
    targets.append(added)
    for i, t in enumerate(targets, start=1):
        t["id"] = f"T{i:02d}"
    new["targets"] = targets
    return new


def _key(t: Target) -> tuple[Any, ...]:
    return (t.metric, t.scope, t.kind, t.year, t.level)


def _shown(plan: Plan, admin: User) -> dict[str, Any]:
    """What the dashboard shows of one plan, keyed by target content (codes may be renumbered)."""
    board = dashboard(user=admin, plan=plan, today=TODAY)
    targets = {
        _key(ts.target): (
            ts.bound,
            ts.status,
            ts.evaluation.actual,
            ts.evaluation.expected,
            ts.evaluation.attainment,
            tuple(ts.evaluation.actual_series),
        )
        for ts in board.targets
    }
    departments = {d.department: d.counts for d in board.departments}
    late = sorted((c.code, r.department.name, r.missing, r.late, r.returned) for c, r in board.late)
    return {"targets": targets, "departments": departments, "task_counts": board.task_counts, "late": late}


@pytest.mark.django_db
def test_qingpu_as_review_draft_keeps_the_dashboard_except_the_three_changed_targets() -> None:
    from bioplan.tracking.demo import demo_populate

    admin = User.objects.create(username="root", is_superuser=True)
    first = plan_import(draft=PlanDraft.from_dict(qingpu())).plan
    demo_populate(plans=[first], today=TODAY)
    accepted = set(ProgressReport.objects.filter(state=ReportState.ACCEPTED).values_list("pk", flat=True))
    assert accepted
    before = _shown(first, admin)

    result = plan_import(draft=PlanDraft.from_dict(as_review_draft(qingpu())))
    second = result.plan
    assert second.version == 2 and result.previous == first

    after = _shown(second, admin)
    changed = ("高新技术企业", "青浦区", "level", 2023, "")
    removed = ("规划布局产业楼宇物业面积", "青浦区", "level", 2023, "")
    added = ("生物医药领域独角兽企业", "青浦区", "level", 2023, "")
    assert set(before["targets"]) - set(after["targets"]) == {removed}
    assert set(after["targets"]) - set(before["targets"]) == {added}
    assert before["targets"][changed] != after["targets"][changed]  # 50 → 60 changes its attainment
    same = set(before["targets"]) - {changed, removed}
    assert {k: before["targets"][k] for k in same} == {k: after["targets"][k] for k in same}
    assert after["targets"][added][0] is False  # the new target is not bound yet
    assert before["departments"] == after["departments"]
    assert before["task_counts"] == after["task_counts"]
    assert before["late"] == after["late"]
    # Accepted reports stay accepted, now on the new version's tasks.
    moved = ProgressReport.objects.filter(pk__in=accepted)
    assert set(moved.values_list("state", flat=True)) == {ReportState.ACCEPTED}
    assert set(moved.values_list("task__plan", flat=True)) == {second.pk}
    # What had no successor is reported and keeps its tracking in version 1.
    assert [t.metric for t in result.unmatched_targets] == ["规划布局产业楼宇物业面积"]
    assert result.unmatched_tasks == ()
    assert result.carried_summary == "1项目标在新版本中没有对应项，其跟踪记录保留在第1版"
    assert TargetBinding.objects.filter(target__plan=first).count() == 1
    assert TargetBinding.objects.get(target__plan=first).target.metric == "规划布局产业楼宇物业面积"


@pytest.mark.django_db
def test_moved_report_keeps_its_history_and_names_the_carry() -> None:
    from bioplan.tracking.demo import demo_populate

    first = plan_import(draft=PlanDraft.from_dict(qingpu())).plan
    demo_populate(plans=[first], today=TODAY)
    report = ProgressReport.objects.filter(task__plan=first).order_by("pk").first()
    assert report is not None
    earlier = report.history.count()
    plan_import(draft=PlanDraft.from_dict(as_review_draft(qingpu())))
    report.refresh_from_db()
    assert report.task.plan.version == 2
    assert report.history.count() == earlier + 1
    assert report.history.first().history_change_reason == "tracking carried to version 2"  # type: ignore[union-attr]


def _facts(code: str, metric: str, level: str = "", kind: str = "level", pk: int = 0) -> TargetFacts:
    return TargetFacts(pk, code, metric, "青浦区", kind, 2023, level)


def test_targets_pair_on_content_before_code() -> None:
    old = [
        _facts("T01", "产值", "floor", pk=1),
        _facts("T02", "产值", "stretch", pk=2),
        _facts("T03", "企业数", pk=3),
    ]
    # The floor target is gone; the stretch one is now T01; T03 kept its code but was renamed a little.
    new = [_facts("T01", "产值", "stretch", pk=11), _facts("T03", "企业数量", pk=13)]
    assert match_targets(old, new) == {2: 11, 3: 13}


def test_a_code_alone_does_not_pair_different_metrics() -> None:
    assert match_targets([_facts("T05", "研发机构", pk=1)], [_facts("T05", "新供产业用地", pk=2)]) == {}


def test_tasks_pair_on_number_and_similar_title_or_on_a_nearly_equal_title() -> None:
    old = [
        TaskFacts(1, "1", "着力发展三大领域"),
        TaskFacts(2, "2", "加快建设特色产业园区"),
        TaskFacts(3, "3", "优化营商环境"),
    ]
    new = [
        TaskFacts(11, "1", "着力发展三大重点领域"),  # similar title, same number
        TaskFacts(12, "2", "完善人才服务体系"),  # a new task took number 2
        TaskFacts(13, "3", "加快建设特色产业园区。"),  # the old task 2, renumbered
    ]
    assert match_tasks(old, new) == {1: 11, 2: 13}


@pytest.mark.django_db
def test_office_maps_an_unmatched_target_and_task_by_hand(django_user_model) -> None:
    from bioplan.tracking.services import plan_bind_targets

    raw = qingpu()
    first = plan_import(draft=PlanDraft.from_dict(raw)).plan
    plan_bind_targets(plan=first)
    new = copy.deepcopy(raw)
    new["plan"]["status"] = "送审稿"
    new["targets"][15]["metric"] = "产业楼宇"  # T16 renamed beyond recognition
    new["tasks"][0]["title"] = "全面提升产业能级"  # task 1 rewritten
    result = plan_import(draft=PlanDraft.from_dict(new))
    second = result.plan
    assert [t.code for t in result.unmatched_targets] == ["T16"]
    assert [t.number for t in result.unmatched_tasks] == ["1"]
    old_target = first.targets.get(code="T16")
    new_target = second.targets.get(code="T16")
    office = django_user_model.objects.create(username="office", role=Role.OFFICE_ADMIN, region=first.region)
    other = django_user_model.objects.create(username="leader", role=Role.LEADER, region=first.region)
    with pytest.raises(PermissionDenied):
        target_successor_set(target=old_target, successor=new_target, user=other)
    with pytest.raises(ValidationError, match="已对应另一项"):
        target_successor_set(target=old_target, successor=second.targets.get(code="T01"), user=office)
    target_successor_set(target=old_target, successor=new_target, user=office)
    assert TargetBinding.objects.get(target=new_target).indicator.name == "规划布局产业楼宇物业面积"
    old_target.refresh_from_db()
    assert old_target.successor == new_target
    assert old_target.history.first().history_user == office  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="已有对应项"):
        target_successor_set(target=old_target, successor=new_target, user=office)
    task_successor_set(task=first.tasks.get(number="1"), successor=second.tasks.get(number="1"), user=office)
    assert Task.objects.get(plan=first, number="1").successor == second.tasks.get(number="1")


@pytest.mark.django_db
def test_identical_reimport_moves_nothing() -> None:
    first = plan_import(draft=PlanDraft.from_dict(qingpu())).plan
    again = plan_import(draft=PlanDraft.from_dict(qingpu()))
    assert not again.created and again.plan == first
    assert not Target.objects.filter(successor__isnull=False).exists()


# ------------------------------------------------------------------------------ the surfaces
def _sample_versions(draft_dict: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sample plan and a second version in which T03 (高新技术企业) and task 2 are gone."""
    second = copy.deepcopy(draft_dict)
    second["plan"]["status"] = "送审稿"
    second["targets"] = second["targets"][:2]
    second["tasks"][1]["title"] = "完善人才服务体系"
    return draft_dict, second


@pytest.mark.django_db
def test_import_page_and_diff_page_list_what_has_no_successor_and_the_office_maps_it(
    office_client, draft_dict
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    first_raw, second_raw = _sample_versions(draft_dict)
    plan_import(draft=PlanDraft.from_dict(first_raw))
    upload = SimpleUploadedFile("v2.json", json.dumps(second_raw, ensure_ascii=False).encode("utf-8"))
    office_client.post(reverse("plans:import"), {"file": upload})  # read into a draft for review
    from bioplan.plans.models import ImportDraft

    draft = ImportDraft.objects.get()
    response = office_client.post(reverse("plans:draft_publish", args=[draft.pk]), follow=True)
    html = response.content.decode()
    assert "1项目标、1项任务在新版本中没有对应项，其跟踪记录保留在第1版" in html
    first, second = Plan.objects.order_by("version")
    assert 'id="unmatched-notice"' in html  # the plan page of v2 says so too

    diff = office_client.get(reverse("plans:diff", args=[second.pk, first.pk])).content.decode()
    assert diff.count('class="unmatched-row"') == 2 and "高新技术企业" in diff
    old_task = first.tasks.get(number="2")
    new_task = second.tasks.get(number="2")
    response = office_client.post(
        reverse("plans:successor", args=[first.pk]),
        {"kind": "task", "item": old_task.pk, "successor": new_task.pk},
    )
    assert response.status_code == 302
    old_task.refresh_from_db()
    assert old_task.successor == new_task
    diff = office_client.get(reverse("plans:diff", args=[second.pk, first.pk])).content.decode()
    assert diff.count('class="unmatched-row"') == 1
    # A bad choice is a message, not a 500, and changes nothing.
    response = office_client.post(
        reverse("plans:successor", args=[first.pk]),
        {"kind": "target", "item": first.targets.get(code="T03").pk, "successor": "x"},
        follow=True,
    )
    assert response.status_code == 200 and first.targets.get(code="T03").successor is None


@pytest.mark.django_db
def test_api_lists_what_the_import_left_behind(office_client, draft_dict) -> None:
    first_raw, second_raw = _sample_versions(draft_dict)
    first = plan_import(draft=PlanDraft.from_dict(first_raw)).plan
    second = plan_import(draft=PlanDraft.from_dict(second_raw)).plan
    rows = office_client.get(f"/api/targets/?plan={first.pk}&has_successor=false").json()["results"]
    assert [r["code"] for r in rows] == ["T03"]
    rows = office_client.get(f"/api/tasks/?plan={first.pk}&has_successor=false").json()["results"]
    assert [r["number"] for r in rows] == ["2"]
    row = office_client.get(f"/api/targets/?plan={first.pk}&has_successor=true").json()["results"][0]
    assert row["successor"] in set(second.targets.values_list("pk", flat=True))


@pytest.mark.django_db
def test_cli_import_names_what_has_no_successor(tmp_path, draft_dict, capsys) -> None:
    from bioplan.cli import main

    first_raw, second_raw = _sample_versions(draft_dict)
    for name, raw in (("v1.json", first_raw), ("v2.json", second_raw)):
        (tmp_path / name).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert main(["plans", "import", str(tmp_path / "v1.json")]) == 0
    capsys.readouterr()
    assert main(["plans", "import", str(tmp_path / "v2.json")]) == 0
    out = capsys.readouterr().out
    assert "1项目标、1项任务在新版本中没有对应项，其跟踪记录保留在第1版" in out
    assert "目标 T03 高新技术企业" in out and "任务 2. 建设特色园区" in out


@pytest.mark.django_db
def test_a_follow_on_plan_links_to_its_predecessor_and_later_versions_keep_the_link() -> None:
    first = plan_import(draft=PlanDraft.from_dict(qingpu())).plan
    follow = qingpu()
    follow["plan"].update(
        title=follow["plan"]["title"].replace("2021—2023", "2024—2026"), period_start=2024, period_end=2026
    )
    for t in follow["targets"]:
        t["year"] = 2026
    second = plan_import(draft=PlanDraft.from_dict(follow)).plan
    assert second.lineage != first.lineage and second.version == 1
    assert second.predecessor == first
    follow["plan"]["status"] = "送审稿"
    assert plan_import(draft=PlanDraft.from_dict(follow)).plan.predecessor == first
    other = qingpu()
    other["plan"].update(
        title="青浦区促进集成电路产业发展行动方案（2024—2026年）", period_start=2024, period_end=2026
    )
    assert plan_import(draft=PlanDraft.from_dict(other)).plan.predecessor is None
