"""The filter, pagination and JSON-parser bases of the API (settings.REST_FRAMEWORK), bounded so that
no request value ends in a server error: a 23-digit ?limit= is capped, a 23-digit ?offset= is an
empty page, a 23-digit ?park= or ?year= is a 400 naming the parameter, a JSON body nested thousands
deep is a 400. Kept apart from core.api, which imports DRF's viewsets: these are loaded while DRF
reads its settings."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters import rest_framework as filters
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination, _positive_int
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.request import Request

from bioplan.core.validation import ID_MAX

MAX_PAGE = 1000  # rows per page at most (?limit=)


class Pagination(LimitOffsetPagination):
    """?limit= (at most MAX_PAGE) and ?offset= (beyond every row: an empty page); junk means the default."""

    max_limit = MAX_PAGE

    def get_offset(self, request: Request) -> int:
        try:
            return _positive_int(request.query_params[self.offset_query_param], cutoff=ID_MAX)
        except (KeyError, ValueError):
            return 0


_INVALID_ID = "invalid"  # refused by the id field itself, before any query


class BoundedFilters:
    """For a FilterSet: numeric filters refuse values no column holds. A number filter beyond ±2^63
    is a form error naming the field (400 in the API); an id of a related row beyond any stored id is
    "not a valid choice" without a query (SQLite and psycopg would raise on it)."""

    filters: dict[str, Any]
    base_filters: dict[str, Any]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and hasattr(data, "getlist"):
            data = self._without_impossible_ids(data)
        super().__init__(data, *args, **kwargs)  # type: ignore[call-arg]  # the FilterSet beside it
        for f in self.filters.values():
            if isinstance(f, filters.NumberFilter):
                f.extra["validators"] = [MinValueValidator(-ID_MAX), MaxValueValidator(ID_MAX)]

    @classmethod
    def _without_impossible_ids(cls, data: Any) -> Any:
        related = (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)
        names = [name for name, f in cls.base_filters.items() if isinstance(f, related)]
        if not any(_impossible_id(v) for name in names for v in data.getlist(name)):
            return data
        data = data.copy()
        for name in names:
            data.setlist(name, [_INVALID_ID if _impossible_id(v) else v for v in data.getlist(name)])
        return data


def _impossible_id(value: str) -> bool:
    text = value.strip()
    return text.lstrip("+-").isdigit() and (not text.lstrip("+-").isascii() or abs(int(text)) > ID_MAX)


class BoundedFilterSet(BoundedFilters, filters.FilterSet):
    """The base of the API's FilterSets."""


class BoundedPageFilterSet(BoundedFilters, django_filters.FilterSet):
    """The base of the pages' FilterSets (shared with their exports and the API)."""


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend with BoundedFilterSet as the base of the views' `filterset_fields`."""

    filterset_base = BoundedFilterSet


class JSONParser(DRFJSONParser):
    """DRF's JSON parser; a body nested deeper than Python's json can follow (RecursionError) is a 400."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON 嵌套层数过多。") from exc
