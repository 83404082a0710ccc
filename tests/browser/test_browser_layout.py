"""In a real browser: the menu fits one row and nothing scrolls sideways at office screen widths;
every section is one click (or a dropdown and a click) away, with one active item."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from tests.browser.conftest import ARTIFACTS, log_in
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.mark.parametrize("width", [1024, 1280, 1366, 1920])
def test_menu_fits_one_row_and_pages_do_not_scroll_sideways(new_page, width: int) -> None:
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district(), is_staff=True)
    page, log = new_page()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "office", PASSWORD)

    for path in ["/tracking/figures/", "/enterprises/", "/tracking/cycles/"]:
        page.goto(path)
        tops = page.eval_on_selector_all(
            "#navbar-menu .navbar-nav > .nav-item",
            "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
        )
        assert len(tops) >= 8 and len(set(tops)) == 1, f"{path} at {width}px: menu wraps {tops}"
        last_right, search_left = page.evaluate(
            """() => [document.querySelector('#navbar-menu .navbar-nav > .nav-item:last-child').getBoundingClientRect().right,
                      document.querySelector('#navbar-menu .bp-search').getBoundingClientRect().left]"""
        )
        assert last_right <= search_left, f"{path} at {width}px: the search box covers the menu"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} at {width}px scrolls sideways by {overflow}px"
        assert page.locator("#navbar-menu .navbar-nav > .nav-item.active").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"menu-{width}.png"))
    log.assert_clean()


def test_figures_page_is_reached_from_the_data_menu(new_page) -> None:
    UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district())
    page, log = new_page()
    log_in(page, "office", PASSWORD)

    page.click("#navbar-menu .nav-link.dropdown-toggle:has-text('数据')")
    with page.expect_navigation():
        page.click("#navbar-menu .dropdown-item:has-text('指标数据')")

    assert page.url.endswith("/tracking/figures/")
    active = page.locator("#navbar-menu .navbar-nav > .nav-item.active")
    assert active.count() == 1 and "数据" in active.inner_text()
    assert page.locator("form label.form-label.required").count() >= 3  # the figure form, Tabler-styled
    log.assert_clean()
