"""Who reaches what: the region a user works in, as Q filters every app's querysets build on.

The permission model is written out in docs/permissions.md; in short:

* a superuser (the operator's account) reaches everything;
* every other user reaches the rows of its own region only: the region itself and the regions
  below it (a city its districts and their towns and parks, a district its towns and parks, a
  park itself). A user without a region reaches no regional row at all;
* a researcher reads published plans only (any region) and nothing else.

Each app's ``visible_to(user)`` / ``editable_by(user)`` queryset methods combine these filters
with their own rules (a liaison's department, a park operator's parks), so a list can never show a
row the detail page would refuse, and views, API, exports and services share one definition.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bioplan.core.choices import RegionLevel, Role

NOTHING = Q(pk__in=[])


def is_unrestricted(user: Any) -> bool:
    """The operator's superuser account: every row of every region."""
    return bool(getattr(user, "is_superuser", False))


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def role_of(user: Any) -> str | None:
    return getattr(user, "role", None)


def is_researcher(user: Any) -> bool:
    """Researchers read published plans only, whatever their region."""
    return role_of(user) == Role.RESEARCHER and not is_unrestricted(user)


def region_q(region: Any, field: str) -> Q:
    """Rows whose `field` (a foreign key to core.Region) is `region` or lies below it."""
    q = Q(**{field: region})
    level = getattr(region, "level", None)
    if level in (RegionLevel.CITY, RegionLevel.DISTRICT):
        q |= Q(**{f"{field}__parent": region})
    if level == RegionLevel.CITY:
        q |= Q(**{f"{field}__parent__parent": region})
    return q


def user_region_q(user: Any, field: str) -> Q:
    """Rows whose `field` region is in the user's region; everything for a superuser; nothing for an
    anonymous user or a user without a region."""
    if is_unrestricted(user):
        return Q()
    region = getattr(user, "region", None)
    if not is_signed_in(user) or region is None:
        return NOTHING
    return region_q(region, field)


def user_regions_q(user: Any) -> Q:
    """A filter on core.Region itself: the user's region and the regions below it."""
    if is_unrestricted(user):
        return Q()
    region = getattr(user, "region", None)
    if not is_signed_in(user) or region is None:
        return NOTHING
    return Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region)


def user_reaches_region(user: Any, region: Any) -> bool:
    """Whether `region` (a core.Region) is the user's region or lies below it (superusers: always)."""
    if is_unrestricted(user):
        return True
    own = getattr(user, "region", None)
    if own is None or region is None:
        return False
    node = region
    for _ in range(3):  # city → district → town/park
        if node is None:
            return False
        if node.pk == own.pk:
            return True
        node = node.parent
    return False
