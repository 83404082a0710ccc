"""In a real browser: the office creates an enterprise and a key project in the record forms (the
searchable drop-downs included) and edits both. A screenshot of every step goes to
test-artifacts/browser/forms-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from tests.browser.conftest import ARTIFACTS, log_in
from tests.enterprises.factories import make_credit_code
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region
from bioplan.enterprises.models import Enterprise
from bioplan.projects.models import Project

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()


def _shot(page: Any, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"forms-{step}.png"), full_page=True)


def _choose(page: Any, field: str, typed: str, option: str) -> None:
    """Pick `option` in a searchable drop-down (Tom Select) by typing part of its name."""
    page.locator(f".ts-wrapper:has(#id_{field}-ts-control) .ts-control").click()
    page.keyboard.type(typed)
    page.locator(f"#id_{field}-ts-dropdown .option", has_text=option).first.click()


def test_office_creates_and_edits_an_enterprise_and_a_project(new_page):
    district = sample_district()
    Region.objects.create(name="示范生命科学园", level=RegionLevel.PARK, parent=district)
    Region.objects.create(name="示范医疗器械园", level=RegionLevel.PARK, parent=district)
    Department.objects.create(name="区经委", region=district, kind="bureau")
    Department.objects.create(name="区科委", region=district, kind="bureau")
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=district)
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    # --- a new enterprise, from the list's 新增企业 button
    page.goto("/enterprises/")
    with page.expect_navigation():
        page.click("#enterprise-new")
    assert page.locator(".ts-control").count() == 1  # the park list became a search box
    page.fill("#id_name", "示范新药有限公司")
    page.fill("#id_credit_code", "123")  # wrong first: a Chinese message, nothing saved
    page.select_option("#id_segment", "biologic")
    _choose(page, "park", "生命", "示范生命科学园")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    assert page.locator(".invalid-feedback", has_text="统一社会信用代码").is_visible()
    assert not Enterprise.objects.exists()
    _shot(page, "1-enterprise-error")

    page.fill("#id_credit_code", make_credit_code())
    page.fill("#id_founded_on", "2020-06-18")
    page.check("input[name=other_segments][value=cxo]")
    _shot(page, "2-enterprise-new")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    enterprise = Enterprise.objects.get()
    assert page.url.endswith(f"/enterprises/{enterprise.pk}/")
    assert enterprise.park.name == "示范生命科学园" and enterprise.other_segments == ["cxo"]
    assert enterprise.founded_on == dt.date(2020, 6, 18)
    _shot(page, "3-enterprise-page")

    # --- edit it
    with page.expect_navigation():
        page.click("#enterprise-edit")
    assert page.locator("#id_credit_code").is_disabled()
    page.fill("#id_address", "示范路 88 号")
    _choose(page, "park", "器械", "示范医疗器械园")
    _shot(page, "4-enterprise-edit")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    enterprise.refresh_from_db()
    assert enterprise.address == "示范路 88 号" and enterprise.park.name == "示范医疗器械园"
    assert enterprise.version == 2
    assert "示范路 88 号" in page.content()

    # --- a new key project for that enterprise, with planned stage dates
    page.goto("/projects/")
    with page.expect_navigation():
        page.click("#project-new")
    page.fill("#id_name", "示范抗体药产业化基地")
    page.fill("#id_investor_name", "示范新药有限公司")
    _choose(page, "enterprise", "示范新药", "示范新药有限公司")
    page.select_option("#id_project_type", "new")
    _choose(page, "park", "器械", "示范医疗器械园")
    page.fill("#id_total_investment", "12.5")
    _choose(page, "responsible_department", "经委", "区经委")
    page.fill("#id_planned_signed", "2025-03-01")
    page.fill("#id_planned_land", "2025-02-01")  # before 签约: refused
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    assert "计划日期早于" in page.content() and not Project.objects.exists()
    _shot(page, "5-project-error")
    page.fill("#id_planned_land", "2025-08-01")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    project = Project.objects.get()
    assert page.url.endswith(f"/projects/{project.pk}/")
    assert project.enterprise == enterprise and project.total_investment == Decimal("12.5")
    assert project.responsible_department.name == "区经委" and project.next_planned_on == dt.date(2025, 3, 1)
    _shot(page, "6-project-page")

    # --- edit the project, then re-plan its stages
    with page.expect_navigation():
        page.click("#project-edit")
    page.fill("#id_leader_name", "王副区长")
    page.fill("#id_total_investment", "15")
    _shot(page, "7-project-edit")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    project.refresh_from_db()
    assert project.leader_name == "王副区长" and project.total_investment == Decimal("15")

    with page.expect_navigation():
        page.click("#project-stages")
    page.fill("#id_started", "2026-01-15")
    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    started = project.milestones.get(stage="started")
    assert started.planned_on == dt.date(2026, 1, 15)
    _shot(page, "8-project-stages")
    log.assert_clean()
