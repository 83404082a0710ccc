"""The 大屏 in a real browser at 1920×1080: one screen, no scrolling, dark throughout, the red list
turning its pages. The screenshot is kept under test-artifacts/browser/bigscreen-1920x1080.png."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from tests.browser.conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "bioplan-demo-2026"


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.fixture
def demo_with_figures(transactional_db):  # type: ignore[no-untyped-def]
    from bioplan.demo.services import demo_load
    from bioplan.tracking.demo import demo_populate

    demo_load()
    demo_populate()


def test_bigscreen_fits_1920x1080_without_scrolling_and_is_dark(new_page, demo_with_figures) -> None:
    page, log = new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, "city", DEMO_PASSWORD)

    page.goto("/tracking/?bigscreen=1")
    page.wait_for_selector("#comparison canvas")

    scroll = page.evaluate(
        "[document.documentElement.scrollHeight - window.innerHeight, document.documentElement.scrollWidth - window.innerWidth]"
    )
    assert scroll[0] <= 0 and scroll[1] <= 0, f"the 大屏 scrolls by {scroll}"
    bottom = page.evaluate("document.querySelector('#bigscreen').getBoundingClientRect().bottom")
    assert bottom <= 1080
    white = page.evaluate(
        """() => [...document.querySelectorAll('.card, thead th, .card-header, body')]
              .map(e => getComputedStyle(e).backgroundColor)
              .filter(c => c === 'rgb(255, 255, 255)')"""
    )
    assert white == [], "white panels on the dark 大屏"
    assert page.locator(".bp-kpi").count() == 6
    assert int(page.locator(".bp-kpi-value").first.inner_text()) > 0
    visible = page.locator(".bp-redlist-item:visible").count()
    total = page.locator(".bp-redlist-item").count()
    assert 0 < visible <= 6
    if total > 6:
        first = page.locator(".bp-redlist-item:visible").first.inner_text()
        page.wait_for_timeout(8500)
        assert page.locator(".bp-redlist-item:visible").first.inner_text() != first  # the list turned
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.bp-redlist-metric') || document.querySelector('.bp-kpi-label')).fontSize)"
    )
    assert font >= 24  # readable from the back of a meeting room
    page.screenshot(path=str(ARTIFACTS / "bigscreen-1920x1080.png"))
    log.assert_clean()
