"""List page tags: ``{% load bioplan_lists %}``; ``{% sort_th "name" label %}`` and ``{% export_url %}``.

They keep every filter of the current query string, so sorting, paging and exporting never drop one.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bioplan.web.lists import EXPORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context: dict[str, Any], key: str, label: str, css: str = "") -> SafeString:
    """A table header that sorts the list by `key` (ascending first, then descending), keeping filters."""
    request = context["request"]
    current = request.GET.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(EXPORT_PARAM, None)
    params["sort"] = f"-{key}" if current == key else key
    if current == key:
        arrow, aria = " ▲", "ascending"
    elif current == f"-{key}":
        arrow, aria = " ▼", "descending"
    else:
        arrow, aria = "", "none"
    return format_html(
        '<th class="{}" aria-sort="{}"><a class="bp-sort text-reset" href="?{}" title="{}">{}{}</a></th>',
        css,
        aria,
        params.urlencode(),
        _("Sort"),
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def export_url(context: dict[str, Any]) -> str:
    """The current page's URL with its filters and sort, asking for the .xlsx of every matching row."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    params[EXPORT_PARAM] = "xlsx"
    return f"{request.path}?{params.urlencode()}"
