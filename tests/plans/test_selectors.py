from __future__ import annotations

import pytest

from bioplan.ingest.draft import PlanDraft
from bioplan.plans import selectors
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db


def test_diff_lists_added_removed_and_changed_targets_and_tasks(draft_dict, office_user):
    old = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan
    draft_dict["targets"][0]["value"] = 520  # changed
    removed = draft_dict["targets"].pop(2)  # removed
    draft_dict["targets"].append(
        {**removed, "id": "T09", "metric": "专精特新企业", "value": 20, "value_max": None, "comparator": ">="}
    )  # added
    draft_dict["tasks"][0]["departments"].append("区商务委")  # departments changed
    draft_dict["tasks"][1]["title"] = "建设特色产业园区"  # title changed
    draft_dict["tasks"].append(
        {
            "number": "3",
            "title": "优化营商环境",
            "section": "保障措施",
            "lead_departments": [],
            "departments": [],
        }
    )
    new = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan

    diff = selectors.plan_diff(old=old, new=new)

    assert [t.metric for t in diff.targets_added] == ["专精特新企业"]
    assert [t.metric for t in diff.targets_removed] == ["高新技术企业"]
    assert [(c.before, c.after) for c in diff.targets_changed] == [("> 500亿元", "> 520亿元")]
    assert [t.number for t in diff.tasks_added] == ["3"]
    assert diff.tasks_removed == []
    assert [(c.label, c.before, c.after) for c in diff.tasks_changed] == [
        (
            "任务1 责任部门",
            "区经委（牵头）、区科委、区市场监督管理局",
            "区经委（牵头）、区科委、区市场监督管理局、区商务委",
        ),
        ("任务2 标题", "建设特色园区", "建设特色产业园区"),
    ]
    assert not diff.is_empty


def test_diff_of_a_plan_with_itself_is_empty(draft_dict):
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan

    assert selectors.plan_diff(old=plan, new=plan).is_empty


def test_search_finds_targets_and_tasks_by_every_term(draft_dict, office_user):
    plan_import(draft=PlanDraft.from_dict(draft_dict))

    found = selectors.search(query="高新技术", user=office_user)
    assert [t.code for t in found.targets] == ["T03"] and found.tasks == []
    found = selectors.search(query="区规划资源局", user=office_user)
    assert [t.number for t in found.tasks] == ["2"]
    assert selectors.search(query="   ", user=office_user).count == 0


def test_researcher_sees_only_published_plans(draft_dict):
    from tests.factories import UserFactory

    plan_import(draft=PlanDraft.from_dict(draft_dict))  # 征求意见稿
    researcher = UserFactory(role="researcher")

    assert list(selectors.plan_list(user=researcher)) == []
    assert selectors.search(query="高新技术", user=researcher).count == 0


def test_department_tasks_span_plans_and_spellings(draft_dict, office_user):
    from bioplan.core.services import department_lookup

    plan_import(draft=PlanDraft.from_dict(draft_dict))
    other = {**draft_dict, "plan": {**draft_dict["plan"], "title": "另一个方案"}}
    plan_import(draft=PlanDraft.from_dict(other))

    plan = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan
    department = department_lookup(name="区市场监管局", region=plan.region)
    assert department is not None and department.name == "区市场监督管理局"  # the first spelling met
    tasks = selectors.department_tasks(department=department, user=office_user)
    assert sorted((t.plan.title, t.number) for t in tasks) == sorted(
        [
            (draft_dict["plan"]["title"], "1"),
            (draft_dict["plan"]["title"], "2"),
            ("另一个方案", "1"),
            ("另一个方案", "2"),
        ]
    )
