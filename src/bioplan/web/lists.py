"""List pages: one django-filter FilterSet gives the page, its export and the API the same rows.

A list view builds its FilterSet from ``request.GET`` (filters and ``sort``), then either renders one
page of it (``list_page``) or, when the query string holds ``export=xlsx``, writes every filtered,
sorted row with the labels shown on screen (``xlsx_response``). The export link is the page's own
URL plus ``export=xlsx``, so it cannot drift from what the user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.functional import Promise

from bioplan.sheets.write import new_workbook, write_cells

PAGE_SIZE = 50
EXPORT_PARAM = "export"

Cell = str | int | Decimal | float | dt.date | None


@dataclass(frozen=True)
class ListPage:
    """One page of a list: the page of items, the total count and the query string of the filters."""

    page: Page[Any]
    count: int
    query: str  # the current filters and sort, without ``page``: for pager links
    sort: str  # the current ``sort`` value ('' = the list's default order)


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get(EXPORT_PARAM) == "xlsx"


def query_without(params: QueryDict, *names: str) -> str:
    """The query string of `params` without the given keys (e.g. ``page``, ``export``)."""
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def list_page(request: HttpRequest, items: Sequence[Any] | Any, *, per_page: int = PAGE_SIZE) -> ListPage:
    """Page ``?page=`` of `items` (a queryset or list); out-of-range pages give the last page."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return ListPage(
        page=page,
        count=page.paginator.count,
        query=query_without(request.GET, "page", EXPORT_PARAM),
        sort=request.GET.get("sort", ""),
    )


def _cell(value: Cell) -> Cell:
    if isinstance(value, Decimal):
        return float(value)  # already rounded by the caller as on screen; xlsx stores doubles
    return value


def xlsx_response(
    *, filename: str, title: str | Promise, headers: Sequence[str | Promise], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """An .xlsx download of `rows` under `headers`, as displayed on the page (labels, rounded numbers).

    `filename` is the download name (Chinese allowed); `title` names the sheet.
    """
    buffer, book = new_workbook()  # text written formula-safe (bioplan.sheets), like every export
    sheet = book.add_worksheet(str(title)[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF3FA", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    widths = [max(6, len(str(h)) * 2 + 2) for h in headers]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, str(header), bold)
    count = 0
    for r, row in enumerate(rows, start=1):
        count += 1
        values = [_cell(value) for value in row]
        write_cells(sheet, r, values, date_format=date)
        for col, value in enumerate(values):
            if col < len(widths):
                widths[col] = min(60, max(widths[col], len(str(value)) * 2 if value is not None else 0))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), max(len(headers) - 1, 0))
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
