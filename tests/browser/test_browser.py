"""In a real browser: log in, import a plan, the dashboard's charts, the quarterly reporting workflow."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from tests.browser.conftest import log_in
from tests.conftest import SAMPLE_DRAFT
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Plan
from bioplan.plans.services import plan_import

PASSWORD = "correct-horse-battery"
DEMO_PASSWORD = "bioplan-demo-2026"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()  # login throttle counters and cached dashboards must not leak between tests


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo plans and users (not the simulated registries and figures: slow, and not needed)."""
    from bioplan.demo.services import demo_load

    demo_load()


def test_login_and_a_wrong_password(new_page):
    UserFactory(username="office", role=Role.OFFICE_ADMIN, first_name="产业办")
    page, log = new_page()

    page.goto("/plans/")
    assert "/accounts/login/" in page.url  # pages need a login
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")
    assert page.locator(".bp-login-error").is_visible()

    log_in(page, "office", PASSWORD)
    assert urlsplit(page.url).path == "/"  # the start page
    assert page.locator("header").first.is_visible()
    assert "office" in page.content() or "产业办" in page.content()
    log.assert_clean()


def test_office_imports_a_plan_by_upload(new_page, tmp_path):
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district())
    plan_file = tmp_path / "示范区行动方案.json"
    plan_file.write_text(json.dumps(copy.deepcopy(SAMPLE_DRAFT), ensure_ascii=False), encoding="utf-8")
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    page.goto("/plans/import/")
    page.set_input_files("input[type=file]", str(plan_file))
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] [type=submit]").click()

    assert "/plans/drafts/" in page.url  # read into a draft to review first
    with page.expect_navigation():
        page.locator("#draft-publish [type=submit]").click()
    plan = Plan.objects.get()
    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert "示范区" in page.content()
    assert plan.targets.count() == 3 and plan.tasks.count() == 2
    log.assert_clean()


def test_import_page_shows_the_type_error_in_the_browser(new_page, tmp_path):
    UserFactory(username="office", role=Role.OFFICE_ADMIN)
    bad = tmp_path / "plan.exe"
    bad.write_bytes(b"MZ")
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    page.goto("/plans/import/")
    page.set_input_files("input[type=file]", str(bad))
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] [type=submit]").click()

    assert ".json" in page.content()
    assert Plan.objects.count() == 0
    log.assert_clean()


def _charts_drawn(page: Any) -> int:
    """Wait until every chart element holds a drawn ECharts instance; returns how many there are."""
    page.wait_for_function(
        """() => {
            const els = [...document.querySelectorAll('[data-bp-chart]')];
            return els.length > 0 && window.echarts
                && els.every(el => window.echarts.getInstanceByDom(el) && el.querySelector('canvas, svg'));
        }"""
    )
    return page.locator("[data-bp-chart]").count()


@pytest.fixture
def figures(transactional_db):  # type: ignore[no-untyped-def]
    """The sample plan with its targets bound to indicators and three years of actual figures."""
    from decimal import Decimal

    from bioplan.ingest.draft import PlanDraft
    from bioplan.plans.services import plan_import
    from bioplan.tracking import services

    plan = plan_import(draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)), source_file="a.json").plan
    bindings = services.plan_bind_targets(plan=plan)
    for binding in bindings:
        for year, value in ((2023, "300"), (2024, "352.5"), (2025, "410")):
            services.observation_record(
                indicator=binding.indicator,
                region=binding.region,
                year=year,
                value=Decimal(value),
                source="stat_flash",
            )
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=plan.region)
    return plan


def test_dashboard_draws_its_charts_offline_without_console_errors(new_page, figures):
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    page.goto("/tracking/")
    charts = _charts_drawn(page)
    page.wait_for_load_state("networkidle")

    assert charts >= 1
    assert any("/static/vendor/echarts/" in url for url in log.requests)
    log.assert_clean()


def test_liaison_submits_office_returns_then_accepts(new_page, demo):
    from bioplan.core.models import User
    from bioplan.tracking import services
    from bioplan.tracking.models import ProgressReport, ReportingCycle

    office = User.objects.get(username="office")
    # The demo's Qingpu plan ended in 2023 (no new cycles): a running follow-on plan of the district
    # whose first task is led by 区经委, the demo liaison's department.
    follow_on = copy.deepcopy(SAMPLE_DRAFT)
    follow_on["plan"] |= {
        "region": "青浦区",
        "title": "青浦区生物医药产业接续行动方案（2026—2028年）",
        "period_start": 2026,
        "period_end": 2028,
        "status": "印发",
    }
    plan_import(draft=PlanDraft.from_dict(follow_on), user=office, source_file="接续方案.json")
    taken = set(ReportingCycle.objects.filter(region=office.region).values_list("year", "quarter"))
    year = max([y for y, _ in taken] + [2026]) + 1
    cycle = services.cycle_open(
        region=office.region, year=year, quarter=1, deadline=dt.date(year, 4, 15), user=office
    )

    liaison, liaison_log = new_page()
    log_in(liaison, "jingwei", DEMO_PASSWORD)
    liaison.goto(f"/tracking/cycles/{cycle.pk}/")
    with liaison.expect_navigation():
        liaison.locator(f"a[href^='/tracking/cycles/{cycle.pk}/tasks/']").first.click()
    liaison.select_option("select[name=progress]", "in_progress")
    liaison.fill("input[name=percent_done]", "40")
    liaison.fill("textarea[name=done_text]", "已完成项目签约，正在办理土地出让手续。")
    with liaison.expect_navigation():
        liaison.click("button[name=submit]")
    report = ProgressReport.objects.get(
        cycle=cycle, department=User.objects.get(username="jingwei").department
    )
    assert report.state == "submitted" and report.percent_done == 40

    office_page, office_log = new_page()
    log_in(office_page, "office", DEMO_PASSWORD)
    office_page.goto(f"/tracking/reports/{report.pk}/")
    office_page.fill("textarea[name=comment]", "请补充土地出让的时间节点。")
    with office_page.expect_navigation():
        office_page.click("button[name=action][value=return]")
    report.refresh_from_db()
    assert report.state == "returned"

    liaison.goto(f"/tracking/cycles/{cycle.pk}/tasks/{report.task_id}/")
    assert "请补充土地出让的时间节点" in liaison.content()
    liaison.fill("textarea[name=done_text]", "已完成项目签约；土地出让预计6月底完成。")
    with liaison.expect_navigation():
        liaison.click("button[name=submit]")
    report.refresh_from_db()
    assert report.state == "submitted"

    office_page.goto(f"/tracking/reports/{report.pk}/")
    with office_page.expect_navigation():
        office_page.click("button[name=action][value=accept]")
    report.refresh_from_db()
    assert report.state == "accepted"
    assert "6月底" in report.done_text

    liaison_log.assert_clean()
    office_log.assert_clean()
