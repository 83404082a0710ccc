"""The navigation context processor: unresolvable URL names are skipped, the current item is active."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from bioplan.web.context_processors import NAV_ENTRIES, NavEntry, nav_items_for, navigation


def _request(path: str = "/", *, authenticated: bool = True, staff: bool = False):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(path)
    request.user = SimpleNamespace(is_authenticated=authenticated, is_staff=staff, is_superuser=staff)  # type: ignore[assignment]
    return request


def _resolves(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def test_entries_whose_url_name_does_not_resolve_are_skipped() -> None:
    entries = (
        NavEntry("Login", "login", "lock"),
        NavEntry("Later", "not_an_app:not_a_view", "bell"),
        NavEntry("Home", "home", "home"),
    )

    items = nav_items_for(_request(), entries)

    assert [item.label for item in items] == ["Login", "Home"]
    assert [item.url for item in items] == [reverse("login"), "/"]


def test_default_entries_appear_exactly_when_their_apps_are_mounted() -> None:
    items = nav_items_for(_request(staff=True))

    expected = []
    for entry in NAV_ENTRIES:
        urls = [
            reverse(n) for n in [entry.url_name, *(c.url_name for c in entry.children)] if n and _resolves(n)
        ]
        if urls:
            expected.append(urls[0])
    assert [item.url for item in items] == expected
    assert reverse("admin:index") in [child.url for item in items for child in item.children]


def test_current_section_is_active_by_path_prefix() -> None:
    entries = (NavEntry("Admin", "admin:index", "settings"), NavEntry("Home", "home", "home"))

    items = nav_items_for(_request(reverse("admin:index") + "core/user/"), entries)

    assert [(item.label, item.active) for item in items] == [("Admin", True), ("Home", False)]


def test_home_is_active_only_on_the_home_page() -> None:
    entries = (NavEntry("Home", "home", "home"),)

    assert nav_items_for(_request("/"), entries)[0].active is True
    assert nav_items_for(_request("/plans/"), entries)[0].active is False


def test_a_path_sharing_only_a_text_prefix_is_not_active() -> None:
    entries = (NavEntry("Login", "login", "lock"),)
    login = reverse("login").rstrip("/")

    assert nav_items_for(_request(login + "-help/"), entries)[0].active is False


def _all_urls(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [url for item in items for url in [item.url, *(child.url for child in item.children)]]


def test_admin_is_shown_to_staff_only() -> None:
    assert "/admin/" not in _all_urls(nav_items_for(_request(staff=False)))
    assert reverse("admin:index") in _all_urls(nav_items_for(_request(staff=True)))


def test_anonymous_users_get_no_navigation_and_no_search_box() -> None:
    context = navigation(_request(authenticated=False))

    assert context["nav_items"] == []
    assert context["nav_search_url"] is None


def test_search_url_is_given_when_the_plans_search_view_exists() -> None:
    context = navigation(_request())

    assert context["nav_search_url"] == (reverse("plans:search") if _resolves("plans:search") else None)
    assert context["nav_home_url"] == "/"


def test_a_request_without_user_is_treated_as_anonymous() -> None:
    assert navigation(RequestFactory().get("/"))["nav_items"] == []


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("tracking:cycle_list", "Quarterly reports"),
        ("tracking:dashboard", "Dashboard"),
        ("tracking:observation_list", "Data"),
        ("tracking:indicator_list", "Data"),
        ("tracking:conflict_list", "Data"),
        ("enterprises:derived", "Data"),
        ("enterprises:pool", "Enterprises"),
        ("enterprises:list", "Enterprises"),
        ("projects:map", "Key projects"),
        ("parks:demands", "Parks"),
        ("plans:search", "Plans"),
        ("reports:index", "Reports"),
        ("api-docs", "More"),
    ],
)
def test_exactly_one_item_is_active_the_one_with_the_longest_matching_url(path: str, active: str) -> None:
    with translation.override("en"):
        items = nav_items_for(_request(reverse(path), staff=True))

        assert [str(item.label) for item in items if item.active] == [active]
        active_children = [child for item in items for child in item.children if child.active]
        assert len(active_children) <= 1
        if active_children:
            assert active_children[0].url == reverse(path)


def test_every_list_page_of_the_apps_is_in_the_menu() -> None:
    urls = _all_urls(nav_items_for(_request(staff=True)))

    for name in [
        "tracking:observation_list",
        "tracking:indicator_list",
        "tracking:conflict_list",
        "enterprises:derived",
        "enterprises:pool",
        "enterprises:import",
        "projects:map",
        "parks:spaces",
        "parks:demands",
        "api-docs",
    ]:
        assert reverse(name) in urls, name


def test_researchers_are_not_offered_the_registries_or_figures() -> None:
    request = _request()
    request.user.role = "researcher"  # type: ignore[attr-defined]

    urls = _all_urls(nav_items_for(request))

    assert reverse("tracking:observation_list") not in urls
    assert reverse("enterprises:list") not in urls
    assert reverse("tracking:dashboard") in urls
