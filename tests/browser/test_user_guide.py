"""The user guide's walk (docs/user-guide.md): each role's daily pages in a real browser, on the demo.

Every step must load without a console error or a request leaving the machine. The screenshots go to
test-artifacts/guide/; `make guide` runs this module with BIOPLAN_GUIDE_SCREENSHOTS=1, which writes
them to docs/user-guide/img/ instead, so the guide never shows an old screen."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from tests.browser.conftest import ARTIFACTS, log_in
from tests.conftest import SAMPLE_DRAFT

from bioplan.core.choices import Role
from bioplan.core.models import Department, User
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Plan
from bioplan.plans.services import plan_import

DEMO_PASSWORD = "bioplan-demo-2026"
GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "img"

pytestmark = pytest.mark.django_db(transaction=True)


def _target() -> Path:
    folder = (
        GUIDE_IMAGES if os.environ.get("BIOPLAN_GUIDE_SCREENSHOTS") == "1" else ARTIFACTS.parent / "guide"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page: Any, name: str, path: str | None = None) -> None:
    if path is not None:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_target() / f"{name}.png"))


@pytest.fixture
def guide_world(transactional_db):  # type: ignore[no-untyped-def]
    """The demo (plans, users, a small simulated registry and figures), plus the example district
    示范区 with a running plan, its liaison and an open reporting cycle for the liaison's chapter."""
    cache.clear()
    call_command("demo_load", per_district=40, stdout=io.StringIO())
    draft = copy.deepcopy(SAMPLE_DRAFT)
    draft["plan"]["title"] = "示范区促进生物医药产业高质量发展行动方案（2025—2027年）"
    draft["plan"]["period_start"], draft["plan"]["period_end"], draft["plan"]["status"] = 2025, 2027, "印发"
    plan = plan_import(draft=PlanDraft.from_dict(draft), source_file="示范区方案.docx").plan
    department = Department.objects.get(region=plan.region, name="区经委")
    for username, role, dept in (
        ("sf-office", Role.OFFICE_ADMIN, None),
        ("sf-jingwei", Role.LIAISON, department),
    ):
        user = User(username=username, role=role, region=plan.region, department=dept, first_name=username)
        user.set_password(DEMO_PASSWORD)
        user.save()
    from bioplan.tracking import services

    cycle = services.cycle_open(
        region=plan.region,
        year=2026,
        quarter=4,
        deadline=dt.date(2027, 1, 15),
        user=User.objects.get(username="sf-office"),
    )
    return {"plan": plan, "cycle": cycle}


def test_user_guide_walk(new_page, guide_world):  # type: ignore[no-untyped-def]
    qingpu = Plan.objects.current().get(region__name="青浦区")

    # 办公室管理员 office admin
    office, office_log = new_page()
    log_in(office, "office", DEMO_PASSWORD)
    _shot(office, "office-home")
    _shot(office, "office-plans", "/plans/")
    _shot(office, "office-import", "/plans/import/")
    _shot(office, "office-plan", f"/plans/{qingpu.pk}/")
    _shot(office, "office-dashboard", "/tracking/")
    _shot(office, "office-figures", "/tracking/figures/")
    _shot(office, "office-cycles", "/tracking/cycles/")
    _shot(office, "office-enterprises", "/enterprises/")
    _shot(office, "office-projects", "/projects/")
    _shot(office, "office-reports", "/reports/")
    office_log.assert_clean()

    # 部门联络员 liaison: file a report in the open cycle of 示范区
    cycle = guide_world["cycle"]
    liaison, liaison_log = new_page()
    log_in(liaison, "sf-jingwei", DEMO_PASSWORD)
    _shot(liaison, "liaison-home")
    _shot(liaison, "liaison-cycle", f"/tracking/cycles/{cycle.pk}/")
    with liaison.expect_navigation():
        liaison.locator(f"a[href^='/tracking/cycles/{cycle.pk}/tasks/']").first.click()
    liaison.select_option("select[name=progress]", "in_progress")
    liaison.fill("input[name=percent_done]", "60")
    liaison.fill("textarea[name=done_text]", "已完成2家创新药企业的走访服务，1个项目完成签约。")
    _shot(liaison, "liaison-report-form")
    with liaison.expect_navigation():
        liaison.click("button[name=submit]")
    _shot(liaison, "liaison-report-submitted")
    liaison_log.assert_clean()

    # 园区运营方 park operator
    park, park_log = new_page()
    log_in(park, "park", DEMO_PASSWORD)
    _shot(park, "park-parks", "/registry/parks/")
    _shot(park, "park-spaces", "/registry/parks/spaces/")
    park_log.assert_clean()

    # 领导 leader
    leader, leader_log = new_page()
    log_in(leader, "leader", DEMO_PASSWORD)
    _shot(leader, "leader-dashboard", "/tracking/")
    _shot(leader, "leader-plan", f"/plans/{qingpu.pk}/")
    leader_log.assert_clean()
