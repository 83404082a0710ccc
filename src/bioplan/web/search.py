"""The global search box: every app contributes a group of hits for the records it owns.

An app registers a source in its ``AppConfig.ready()``::

    from bioplan.web.search import register_search_source
    register_search_source("enterprises", enterprise_search, order=30)

``source(terms, user, limit)`` returns a ``SearchGroup`` (or None when the user may not read that
kind at all). It must start from the app's own ``visible_to(user)`` queryset, so a search never
shows a row the user could not open, and run a fixed number of queries (a count and one page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

MAX_TERMS = 8


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    note: str = ""  # e.g. the district, the plan, the credit code


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str | Promise
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0  # all matches; `hits` holds at most the limit
    more_url: str = ""  # the kind's own list filtered by the query, when it has one


SearchSource = Callable[[list[str], Any, int], SearchGroup | None]

_sources: dict[str, tuple[int, SearchSource]] = {}


def register_search_source(kind: str, source: SearchSource, order: int = 100) -> None:
    """Add (or replace) the source of one kind of record; groups appear in ascending `order`."""
    _sources[kind] = (order, source)


def search_terms(query: str) -> list[str]:
    return [t for t in query.split() if t][:MAX_TERMS]


def all_terms_match(fields: Sequence[str], terms: list[str]) -> Q:
    """Every term is found (icontains) in at least one of `fields`."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def counted(queryset: QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """The first `limit` rows and the total, in two queries."""
    rows = list(queryset[:limit])
    return rows, (len(rows) if len(rows) < limit else queryset.count())


def search_all(*, query: str, user: Any, limit: int = 20) -> list[SearchGroup]:
    """The groups of hits for `query` that found something, in registration order."""
    terms = search_terms(query)
    if not terms:
        return []
    groups = []
    for _order, source in sorted(_sources.values(), key=lambda item: item[0]):
        group = source(terms, user, limit)
        if group is not None and group.total:
            groups.append(group)
    return groups
