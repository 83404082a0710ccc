"""Random query strings (hypothesis) on every list page and every API list route answer without a server
error: malformed periods, 23-digit ids, NUL, repeated keys, unknown keys — a message or the unfiltered
list, never a 500.

The routes are taken from the URL resolver (every named route without a path parameter, as
test_permission_matrix enumerates them), the parameter names from what the code reads
(`request.GET.get("…")`, `query_params`, the API views' filter fields) plus the paginators' own.
Requests go through Django's test client, which re-raises a view's exception, so a 500 fails the test
with its traceback; the permission world (tests/trust/permission_world.py) gives every list rows.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.trust.permission_world import PermissionWorld

import bioplan

pytestmark = pytest.mark.django_db

# Routes that are not lists: sign-in and -out, the language switch, the database ping, the schema.
NOT_LISTS = {"login", "logout", "set_language", "healthz", "api-schema", "api-docs", "api-root"}
ROLES = ("office-A", "researcher")  # the widest reach, and the narrowest (published plans only)


def _list_routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """The path of every named route without a path parameter (Django's admin left out)."""
    paths: list[str] = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace != "admin":
                paths += _list_routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name and p.name not in NOT_LISTS and not p.pattern.regex.groups:
            path = "/" + (prefix + str(p.pattern)).replace("^", "").replace("$", "")
            if "(?P" not in path and "<" not in path:
                paths.append(path)
    return sorted(set(paths))


ROUTES = _list_routes(get_resolver())


def _names_the_code_reads() -> list[str]:
    """Query-string names read anywhere in the source, and the API views' filter fields."""
    source = Path(bioplan.__file__).parent
    pattern = re.compile(r"""(?:GET|query_params)(?:\.get|\.getlist)?[(\[]["']([a-z_]+)["']""")
    names = {m for f in source.rglob("*.py") for m in pattern.findall(f.read_text(encoding="utf-8"))}
    for path in ROUTES:
        view = resolve(path).func
        cls = getattr(view, "cls", None)
        names |= set(getattr(cls, "filterset_fields", None) or [])
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            names |= set(filterset.base_filters)
    return sorted(names | {"limit", "offset", "page", "format", "ordering", "search", "q"})


NAMES = _names_the_code_reads()

HUGE = st.integers(min_value=-(10**25), max_value=10**25).map(str)
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "9" * 23,
        "²",
        "١٢",
        "1e9",
        "NaN",
        "0Q1",
        "2024Q0",
        "2024Q5",
        "2024Q",
        "Q2",
        "99999Q1",
        "2024-13-45",
        "true",
        "none",
        "\x00",
        "a\x00b",
        "'; DROP TABLE x;--",
        "%",
        "\ud7ff",
        "x" * 2000,
    ]
)
VALUES = st.one_of(TRICKY, HUGE, st.text(max_size=30), st.integers(2000, 2100).map(str))
# Many names at once, so a handful of examples per route still reaches most of what the route reads.
PARAMS = st.lists(
    st.tuples(st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=10)), VALUES),
    min_size=1,
    max_size=40,
)
# The cases the 2026-12 attack test found, tried on every route whatever hypothesis draws.
FOUND = [
    [("as_of", "xx")],
    [("as_of", "0Q1")],
    [("quarter", "0Q1")],
    *(
        [(name, "9" * 23)]
        for name in ("limit", "offset", "page", "park", "indicator", "year", "plan", "region")
    ),
]


def _query(params: list[tuple[str, str]]) -> str:
    # Lone surrogates cannot be sent as UTF-8; a browser would not send them either.
    return urlencode([(k, v) for k, v in params], encoding="utf-8", errors="replace")


def _examples(cases: list[list[tuple[str, str]]]):  # type: ignore[no-untyped-def]
    def decorate(test):  # type: ignore[no-untyped-def]
        for case in reversed(cases):
            test = example(params=case)(test)
        return test

    return decorate


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ROUTES)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=PARAMS)
@_examples(FOUND)
def test_no_query_string_gives_a_server_error(
    perm_world: PermissionWorld, path: str, role: str, params
) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(perm_world.users[role])
    response = client.get(f"{path}?{_query(params)}")
    assert response.status_code < 500, (path, params, response.status_code)


def test_the_routes_are_the_lists() -> None:
    # The enumeration finds the pages and API lists the brief names (guards against an empty sweep).
    for path in ("/plans/", "/tracking/", "/api/observations/", "/api/target-status/", "/registry/parks/"):
        assert path in ROUTES
    assert {"as_of", "quarter", "year", "park", "indicator", "limit"} <= set(NAMES)
