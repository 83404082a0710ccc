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
    """One possible navigation item; shown only when its URL name resolves.

    An entry with ``children`` is a dropdown: it is shown when at least one child resolves and links
    to its first one. ``hidden_for`` names roles that may not open the page (researchers see no
    registries or figures), so the menu never offers a refusal.
    """

    label: str | Promise
    url_name: str
    icon: str
    staff_only: bool = False
    children: tuple[NavEntry, ...] = ()
    hidden_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    icon: str
    active: bool
    children: tuple[NavItem, ...] = ()


_NO_RESEARCHER = frozenset({"researcher"})

# Apps that land later (tracking, API docs) appear by themselves once their URL names resolve.
# Every page is reached from one item; the item whose URL is the longest prefix of the current path
# is the active one, so /tracking/cycles/ marks 季度报送, not 看板 (/tracking/).
NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(_("Plans"), "plans:list", "file-text"),
    NavEntry(_("Departments"), "core:department_list", "building-community"),
    NavEntry(_("Dashboard"), "tracking:dashboard", "chart-bar"),
    NavEntry(
        _("Data"),
        "",
        "dashboard",
        hidden_for=_NO_RESEARCHER,
        children=(
            NavEntry(_("Figures"), "tracking:observation_list", ""),
            NavEntry(_("Indicator catalogue"), "tracking:indicator_list", ""),
            NavEntry(_("Source conflicts"), "tracking:conflict_list", ""),
            NavEntry(_("Derived indicators"), "enterprises:derived", ""),
        ),
    ),
    NavEntry(_("Quarterly reports"), "tracking:cycle_list", "calendar-stats", hidden_for=_NO_RESEARCHER),
    NavEntry(
        _("Enterprises"),
        "",
        "building-factory",
        hidden_for=_NO_RESEARCHER,
        children=(
            NavEntry(_("Enterprise registry"), "enterprises:list", ""),
            NavEntry(_("Cultivation pool"), "enterprises:pool", ""),
            NavEntry(
                _("Sheet import"), "enterprises:import", "", hidden_for=frozenset({"leader", "researcher"})
            ),
        ),
    ),
    NavEntry(
        _("Key projects"),
        "",
        "briefcase",
        hidden_for=_NO_RESEARCHER,
        children=(
            NavEntry(_("Project list"), "projects:list", ""),
            NavEntry(_("Battle map"), "projects:map", ""),
        ),
    ),
    NavEntry(
        _("Parks"),
        "",
        "map-2",
        hidden_for=_NO_RESEARCHER,
        children=(
            NavEntry(_("Park registry"), "parks:list", ""),
            NavEntry(_("Floor space"), "parks:spaces", ""),
            NavEntry(_("Space demands"), "parks:demands", ""),
        ),
    ),
    NavEntry(_("Reports"), "reports:index", "file-spreadsheet"),
    NavEntry(
        _("More"),
        "",
        "info-circle",
        children=(
            NavEntry(_("User guide"), "help", ""),
            NavEntry(_("API guide"), "help_api", ""),
            NavEntry(_("API docs"), "api-docs", ""),
            NavEntry(
                _("Users"),
                "users:list",
                "",
                hidden_for=frozenset({"liaison", "park_operator", "leader", "researcher"}),
            ),
            NavEntry(_("Admin"), "admin:index", "", staff_only=True),
        ),
    ),
)

SEARCH_URL_NAME = "plans:search"


def _reverse_or_none(url_name: str) -> str | None:
    if not url_name:
        return None
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _matches(url: str, path: str) -> bool:
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url if url.endswith("/") else url + "/")


def _visible(entry: NavEntry, user: Any) -> bool:
    if entry.staff_only and not getattr(user, "is_superuser", False):  # the admin: superusers only
        return False
    return getattr(user, "role", None) not in entry.hidden_for or bool(getattr(user, "is_superuser", False))


def nav_items_for(request: HttpRequest, entries: tuple[NavEntry, ...] = NAV_ENTRIES) -> list[NavItem]:
    """The navigation items this request's user may see, in order.

    At most one top-level item is active (with its one active child): the one holding the URL that
    is the longest prefix of the current path.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    resolved: list[tuple[NavEntry, str | None, list[tuple[NavEntry, str]]]] = []
    for entry in entries:
        if not _visible(entry, user):
            continue
        children = [
            (child, url)
            for child in entry.children
            if _visible(child, user) and (url := _reverse_or_none(child.url_name)) is not None
        ]
        url = _reverse_or_none(entry.url_name)
        if url is None and not children:
            continue
        resolved.append((entry, url, children))
    candidates = [u for _e, url, children in resolved for u in [url, *(c for _c, c in children)] if u]
    matching = [u for u in candidates if _matches(u, request.path)]
    current = max(matching, key=len) if matching else None
    items = []
    for entry, url, children in resolved:
        child_items = tuple(NavItem(c.label, c_url, c.icon, c_url == current) for c, c_url in children)
        own_url = url or child_items[0].url
        active = url == current or any(child.active for child in child_items)
        items.append(NavItem(entry.label, own_url, entry.icon, active, child_items))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav_items`` (list of NavItem), ``nav_search_url`` and ``nav_home_url`` (str or None)."""
    authenticated = getattr(getattr(request, "user", None), "is_authenticated", False)
    return {
        "nav_items": nav_items_for(request),
        "nav_search_url": _reverse_or_none(SEARCH_URL_NAME) if authenticated else None,
        "nav_home_url": _reverse_or_none("home"),
    }
