"""In a real browser: upload a .docx plan, correct two items on the review page, publish it.

Screenshots of each step are kept under test-artifacts/browser/ (review-1-… to review-5-…)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from tests.browser.conftest import ARTIFACTS, log_in
from tests.factories import UserFactory, sample_district
from tests.plans.test_review import docx_upload

from bioplan.core.choices import Role
from bioplan.plans.choices import ImportDraftState
from bioplan.plans.models import ImportDraft, Plan

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=True)


def test_upload_a_docx_correct_two_items_and_publish(new_page, tmp_path):
    cache.clear()
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district())
    plan_file = tmp_path / "示范区行动方案.docx"
    plan_file.write_bytes(docx_upload().getvalue())
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    # 1. upload: the plan is read into a draft and the review page opens
    page.goto("/plans/import/")
    page.set_input_files("input[type=file]", str(plan_file))
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] [type=submit]").click()
    draft = ImportDraft.objects.get()
    assert page.url.endswith(f"/plans/drafts/{draft.pk}/")
    assert Plan.objects.count() == 0
    budget = page.locator(".bp-review-item", has_text="区财政每年安排专项资金")
    assert budget.count() == 1
    page.locator("#bp-source mark").first.wait_for()
    _shot(page, "1-review")

    # the quote link marks the item's words in the document beside it
    growth = page.locator("#item-targets-1")
    growth.locator(".bp-quote-link").click()
    active = page.locator("#bp-source mark.bp-active")
    assert active.count() >= 1 and "力争年均增长10%以上" in "".join(active.all_inner_texts())
    _shot(page, "2-quote-marked")

    # 2. first correction: the budget line of 保障措施 is not a target
    with page.expect_navigation():
        budget.locator(".bp-delete-form [type=submit]").click()
    assert page.locator(".bp-review-item", has_text="区财政每年安排专项资金").count() == 0
    _shot(page, "3-budget-line-deleted")

    # 3. second correction: the growth-rate target's quote takes in the sentence before it
    growth = page.locator("#item-targets-1")
    growth.locator(".bp-edit-link").click()  # HTMX opens the form in place
    form = growth.locator("form.bp-item-form")
    form.wait_for()
    assert page.url.endswith(f"/plans/drafts/{draft.pk}/#section-targets") or "/drafts/" in page.url
    form.locator("textarea[name=quote]").fill("力争年均增长10%以上")
    _shot(page, "4-editing-a-target")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    assert "已保存" in page.content()

    # 4. publish: the plan is stored with both corrections
    with page.expect_navigation():
        page.locator("#draft-publish [type=submit]").click()
    plan = Plan.objects.get()
    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert "区财政每年安排专项资金" not in page.content()
    assert plan.targets.get(kind="growth_rate").quote == "力争年均增长10%以上"
    assert not plan.targets.filter(metric="区财政每年安排专项资金").exists()
    draft.refresh_from_db()
    assert draft.state == ImportDraftState.PUBLISHED and draft.plan == plan
    _shot(page, "5-published")
    log.assert_clean()
