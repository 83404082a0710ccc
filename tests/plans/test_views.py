from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Plan
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(draft_dict):  # type: ignore[no-untyped-def]
    return plan_import(draft=PlanDraft.from_dict(draft_dict)).plan


def test_plan_page_shows_targets_with_level_tasks_with_departments_and_parks(office_client, plan):
    html = office_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert "生物医药产业规模" in html and "500" in html and "确保" in html and "力争" in html
    assert "8~10" in html
    assert "壮大创新药产业" in html and "区市场监督管理局" in html
    assert "示范园" in html and "特色核心园" in html


def test_plan_list_shows_counts(office_client, plan):
    html = office_client.get(reverse("plans:list")).content.decode()

    assert plan.title in html and "2024—2026" in html


def test_plan_list_query_count_does_not_grow_with_plans(
    office_client, draft_dict, django_assert_max_num_queries
):
    for i in range(6):
        plan_import(
            draft=PlanDraft.from_dict({**draft_dict, "plan": {**draft_dict["plan"], "title": f"方案{i}"}})
        )

    with django_assert_max_num_queries(8):
        response = office_client.get(reverse("plans:list"))
    assert response.content.decode().count("方案") >= 6


def test_plan_page_query_count_does_not_grow_with_tasks(
    office_client, draft_dict, django_assert_max_num_queries
):
    draft_dict["tasks"] = [
        {
            "number": str(i),
            "title": f"任务{i}",
            "section": "主要任务",
            "lead_departments": ["区经委"],
            "departments": ["区经委", "区科委"],
        }
        for i in range(1, 40)
    ]
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan

    with django_assert_max_num_queries(12):
        office_client.get(reverse("plans:detail", args=[plan.pk]))


def test_department_list_and_page_query_counts_are_bounded(
    office_client, plan, django_assert_max_num_queries
):
    from bioplan.core.models import Department

    with django_assert_max_num_queries(8):
        office_client.get(reverse("core:department_list"))
    department = Department.objects.get(name="区经委")
    with django_assert_max_num_queries(10):
        html = office_client.get(reverse("core:department_detail", args=[department.pk])).content.decode()
    assert "壮大创新药产业" in html


def test_diff_page_shows_changes(office_client, plan, draft_dict):
    draft_dict["targets"][0]["value"] = 520
    new = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan

    html = office_client.get(reverse("plans:diff", args=[new.pk, plan.pk])).content.decode()

    assert "&gt; 500亿元" in html and "&gt; 520亿元" in html


def test_search_page(office_client, plan):
    html = office_client.get(reverse("plans:search"), {"q": "高新技术"}).content.decode()

    assert "高新技术企业" in html


def test_import_page_reads_json_into_a_draft_and_reports_bad_json(office_client, draft_dict):
    from bioplan.plans.models import ImportDraft

    upload = io.BytesIO(json.dumps(draft_dict, ensure_ascii=False).encode())
    upload.name = "plan.json"
    response = office_client.post(reverse("plans:import"), {"file": upload})
    assert response.status_code == 302 and ImportDraft.objects.count() == 1
    draft = ImportDraft.objects.get()
    office_client.post(reverse("plans:draft_publish", args=[draft.pk]), {"version": draft.version})
    assert Plan.objects.count() == 1

    broken = io.BytesIO(b'{"plan": {"region": "x"}, "targets": [{"kind": "bogus"}]}')
    broken.name = "broken.json"
    html = office_client.post(reverse("plans:import"), {"file": broken}).content.decode()
    assert "targets[0].kind" in html and Plan.objects.count() == 1


def test_import_refuses_unsupported_type(office_client):
    upload = io.BytesIO(b"MZ\x00\x00")
    upload.name = "virus.exe"
    html = office_client.post(reverse("plans:import"), {"file": upload}).content.decode()
    assert "virus.exe" in html and Plan.objects.count() == 0


def test_liaison_cannot_import(client, draft_dict):
    from tests.factories import DepartmentFactory, UserFactory

    liaison = UserFactory(role="liaison", department=DepartmentFactory())
    client.force_login(liaison)
    assert client.get(reverse("plans:import")).status_code == 403


def test_plan_page_speaks_chinese_by_default_and_english_on_request(office_client, plan):
    html = office_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "量化目标" in html and "配合" in html and "Co-operating" not in html

    office_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = office_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Targets" in html and "Co-operating" in html and "量化目标" not in html
