"""Reads on regions shared by the registries."""

from __future__ import annotations

from django.db.models import Q

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region


def region_scope_q(region: Region, *, district: str = "district", park: str = "park") -> Q:
    """Rows located in `region`: a park's own rows, a district's, or every district of a city."""
    if region.level == RegionLevel.PARK:
        return Q(**{park: region})
    if region.level == RegionLevel.CITY:
        return Q(**{district: region}) | Q(**{f"{district}__parent": region})
    return Q(**{district: region})
