"""Every page and every API endpoint needs a signed-in user."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that must stay reachable without signing in.
PUBLIC = {"login", "healthz", "set_language", "logout"}


def _named_patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            new_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            out += _named_patterns(p, prefix + str(p.pattern), new_ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append((ns + p.name, prefix + str(p.pattern)))
    return out


def _concrete(route: str) -> str:
    import re

    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # regex routes (DRF routers)
    path = re.sub(r"<(?:int:)?\w+>", "1", path)
    path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def test_every_page_redirects_anonymous_users_to_login(client):
    checked = 0
    for name, route in _named_patterns(get_resolver()):
        if name.split(":")[-1] in PUBLIC or "format" in route:
            continue
        path = _concrete(route)
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), (name, path, response.status_code)
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (name, path)
        checked += 1
    assert checked >= 15


def test_admin_requires_staff(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_login_page_is_public(client):
    assert client.get("/accounts/login/").status_code == 200
