"""`{% history_link obj %}`: the 「变更记录」 button of an object's page (`small=True`: an icon for a
table row), shown only to users who may read change histories."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bioplan.audit.selectors import may_read_history

register = template.Library()


@register.simple_tag
def history_url(obj: Any) -> str:
    meta = obj._meta
    return reverse("audit:object_history", args=[meta.app_label, meta.model_name, obj.pk])


@register.simple_tag(takes_context=True)
def history_link(context: template.Context, obj: Any, small: bool = False) -> str:
    if not may_read_history(context.get("user")):
        return ""
    label = _("变更记录")
    if small:
        return format_html(
            '<a class="text-secondary bp-history-link" href="{}" title="{}" aria-label="{}">⟲</a>',
            history_url(obj),
            label,
            label,
        )
    return format_html('<a class="btn btn-sm bp-history-link" href="{}">{}</a>', history_url(obj), label)
