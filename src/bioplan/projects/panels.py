"""The start-page panel of the key projects: how many are overdue, for users who can see projects."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from bioplan.projects import selectors
from bioplan.projects.choices import WarningLevel


def project_warnings_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Counts of 严重逾期/逾期/即将到期/未排期 projects; hidden when the user sees no project at all."""
    counts = selectors.warning_counts(user=request.user)
    if not any(counts.values()):
        return None
    url = reverse("projects:list")
    items = [
        {"label": str(level.label), "url": f"{url}?warning={level.value}", "note": str(counts[level.value])}
        for level in (WarningLevel.SEVERE, WarningLevel.OVERDUE, WarningLevel.DUE_SOON, WarningLevel.NO_PLAN)
        if counts[level.value]
    ]
    if not items:
        return None
    return {"title": _("Key projects needing attention"), "items": items, "more_url": reverse("projects:map")}


def register_panels() -> None:
    from bioplan.web.panels import register_panel

    register_panel("web/panels/card.html", project_warnings_panel, order=40)
