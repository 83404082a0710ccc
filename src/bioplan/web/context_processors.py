"""Template context shared by every page: the top navigation and the search box target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    """One possible top-navigation item; shown only when its URL name resolves."""

    label: str | Promise
    url_name: str
    icon: str
    staff_only: bool = False


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    icon: str
    active: bool


# Apps that land later (tracking, API docs) appear by themselves once their URL names resolve.
NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(_("Plans"), "plans:list", "file-text"),
    NavEntry(_("Departments"), "core:department_list", "building-community"),
    NavEntry(_("Dashboard"), "tracking:dashboard", "chart-bar"),
    NavEntry(_("Quarterly reports"), "tracking:cycle_list", "calendar-stats"),
    NavEntry(_("Enterprises"), "enterprises:list", "building-factory"),
    NavEntry(_("Key projects"), "projects:list", "briefcase"),
    NavEntry(_("Parks"), "parks:list", "map-2"),
    NavEntry(_("Reports"), "reports:index", "file-spreadsheet"),
    NavEntry(_("API docs"), "api-docs", "api"),
    NavEntry(_("Admin"), "admin:index", "settings", staff_only=True),
)

SEARCH_URL_NAME = "plans:search"


def _reverse_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _is_active(url: str, path: str) -> bool:
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url if url.endswith("/") else url + "/")


def nav_items_for(request: HttpRequest, entries: tuple[NavEntry, ...] = NAV_ENTRIES) -> list[NavItem]:
    """The navigation items this request's user may see, in order, with the current one marked active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in entries:
        if entry.staff_only and not user.is_staff:
            continue
        url = _reverse_or_none(entry.url_name)
        if url is None:
            continue
        items.append(NavItem(entry.label, url, entry.icon, _is_active(url, request.path)))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav_items`` (list of NavItem), ``nav_search_url`` and ``nav_home_url`` (str or None)."""
    authenticated = getattr(getattr(request, "user", None), "is_authenticated", False)
    return {
        "nav_items": nav_items_for(request),
        "nav_search_url": _reverse_or_none(SEARCH_URL_NAME) if authenticated else None,
        "nav_home_url": _reverse_or_none("home"),
    }
