"""In a real browser: the Qingpu plan imported again as 送审稿 (one target changed, one added, one
removed); the version comparison page names what has no successor and the office maps it by hand."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.plans.test_succession import as_review_draft, qingpu

from bioplan.core.choices import Role
from bioplan.core.services import region_get_or_create
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.models import Target
from bioplan.plans.services import plan_import
from bioplan.tracking.models import TargetBinding
from bioplan.tracking.services import plan_bind_targets

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db(transaction=True)


def test_office_sees_the_unmatched_target_and_maps_it(new_page) -> None:
    cache.clear()
    first = plan_import(draft=PlanDraft.from_dict(qingpu())).plan
    plan_bind_targets(plan=first)
    second = plan_import(draft=PlanDraft.from_dict(as_review_draft(qingpu()))).plan
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=region_get_or_create(name="青浦区"))
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    page.goto(f"/plans/{second.pk}/")
    assert page.locator("#unmatched-notice").is_visible()
    page.locator("#unmatched-notice a").click()
    page.wait_for_selector("#unmatched")
    assert "1项目标在新版本中没有对应项，其跟踪记录保留在第1版" in page.locator("#unmatched").inner_text()
    assert page.locator("tr.unmatched-row").count() == 1
    added = second.targets.get(metric="生物医药领域独角兽企业")
    page.select_option("tr.unmatched-row select[name=successor]", str(added.pk))
    with page.expect_navigation():
        page.locator("tr.unmatched-row button[type=submit]").click()
    assert page.locator("tr.unmatched-row").count() == 0
    removed = Target.objects.get(plan=first, metric="规划布局产业楼宇物业面积")
    assert removed.successor == added
    assert TargetBinding.objects.get(target=added).indicator.name == "规划布局产业楼宇物业面积"
    log.assert_clean()
