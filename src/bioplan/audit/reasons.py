"""The reasons services write into the change history (``audited_save(..., reason=...)``), shown in
the page's language: fixed reasons through the catalogue, parameterised ones ("reached land") by
pattern with the choice's label. A reason not listed here is shown as written."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bioplan.enterprises.choices import ProductPhase
from bioplan.parks.choices import DemandStatus, SpaceStatus
from bioplan.projects.choices import ProjectStage

FIXED = {
    "accepted": gettext_lazy("accepted"),
    "another source chosen": gettext_lazy("another source chosen"),
    "attachment added": gettext_lazy("attachment added"),
    "building registered": gettext_lazy("building registered"),
    "chosen by the office": gettext_lazy("chosen by the office"),
    "correction": gettext_lazy("correction"),
    "cycle closed": gettext_lazy("cycle closed"),
    "cycle opened": gettext_lazy("cycle opened"),
    "demand recorded": gettext_lazy("demand recorded"),
    "derived rule bound": gettext_lazy("derived rule bound"),
    "enterprise registered": gettext_lazy("enterprise registered"),
    "enterprise updated": gettext_lazy("enterprise updated"),
    "figures recorded": gettext_lazy("figures recorded"),
    "honour corrected": gettext_lazy("honour corrected"),
    "honour ended": gettext_lazy("honour ended"),
    "honour granted": gettext_lazy("honour granted"),
    "indicator changed": gettext_lazy("indicator changed"),
    "indicator created": gettext_lazy("indicator created"),
    "map layer uploaded": gettext_lazy("map layer uploaded"),
    "map layer withdrawn": gettext_lazy("map layer withdrawn"),
    "parcel registered": gettext_lazy("parcel registered"),
    "parcel supplied": gettext_lazy("parcel supplied"),
    "park registered": gettext_lazy("park registered"),
    "phase reached": gettext_lazy("phase reached"),
    "plan imported": gettext_lazy("plan imported"),
    "product added": gettext_lazy("product added"),
    "product corrected": gettext_lazy("product corrected"),
    "project registered": gettext_lazy("project registered"),
    "project updated": gettext_lazy("project updated"),
    "reminder queued": gettext_lazy("reminder queued"),
    "replaced by a new map layer": gettext_lazy("replaced by a new map layer"),
    "report saved": gettext_lazy("report saved"),
    "resolved": gettext_lazy("resolved"),
    "returned": gettext_lazy("returned"),
    "space registered": gettext_lazy("space registered"),
    "space updated": gettext_lazy("space updated"),
    "stage planned": gettext_lazy("stage planned"),
    "stage replanned": gettext_lazy("stage replanned"),
    "stages planned": gettext_lazy("stages planned"),
    "stages replanned": gettext_lazy("stages replanned"),
    "submitted": gettext_lazy("submitted"),
    "successor set by the office": gettext_lazy("successor set by the office"),
    "superseded by a correction": gettext_lazy("superseded by a correction"),
    "target bound": gettext_lazy("target bound"),
    "project deleted": gettext_lazy("project deleted"),
    "enterprise deleted": gettext_lazy("enterprise deleted"),
}


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"reached (\w+)"), lambda m: _("reached %(stage)s") % {"stage": _label(ProjectStage, m[1])}),
    (
        re.compile(r"advanced to (\w+)"),
        lambda m: _("advanced to %(phase)s") % {"phase": _label(ProductPhase, m[1])},
    ),
    (re.compile(r"demand (\w+)"), lambda m: _("demand %(status)s") % {"status": _label(DemandStatus, m[1])}),
    (re.compile(r"space (\w+)"), lambda m: _("space %(status)s") % {"status": _label(SpaceStatus, m[1])}),
    (
        re.compile(r"plan imported from (.+) \(v(\d+)\)"),
        lambda m: _("plan imported from %(file)s (version %(version)s)") % {"file": m[1], "version": m[2]},
    ),
    (
        re.compile(r"tracking carried to version (\d+)"),
        lambda m: _("tracking carried to version %(version)s") % {"version": m[1]},
    ),
]


def reason_label(reason: str) -> str:
    """`reason` as stored, in the current language."""
    if reason in FIXED:
        return str(FIXED[reason])
    for pattern, label in PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            return label(match)
    return reason
