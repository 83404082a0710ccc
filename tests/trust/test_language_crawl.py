"""The language crawl: every page, as every role, in 简体中文, shows no English words outside an
allow-list (units, codes such as PDF/API/ID, the world's data markers).

Pages are found like a user finds them: the URL resolver's pages without parameters as starting
points, then every same-site link on every page reached (detail pages of the permission world's
objects, history pages, filters), up to a few pages per URL name. Downloads, exports, the Django
admin and the JSON API are not pages and are skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver
from tests.trust.permission_world import PermissionWorld

pytestmark = pytest.mark.django_db

ROLES = ["office-A", "liaison-X", "park-P1", "leader-A", "researcher"]
PAGES_PER_ROUTE = 3
# /help/ holds the user and API guides: bilingual documents (Chinese first, English after) by design.
SKIP_PREFIXES = ("/help/", "/admin/", "/api/schema", "/accounts/logout", "/i18n/", "/static/", "/media/")
SKIP_PATTERN = re.compile(r"(\.xlsx|\.docx|/attachments/|[?&]export=|/restore/|/withdraw/|/remind/)")

# Words that are not English prose on a Chinese page: file formats, standards, product and unit names.
ALLOWED = {
    "pdf",
    "api",
    "id",
    "json",
    "geojson",
    "docx",
    "xlsx",
    "xls",
    "txt",
    "doc",
    "csv",
    "excel",
    "word",
    "bioplan",
    "openapi",
    "swagger",
    "rest",
    "http",
    "https",
    "url",
    "gdp",
    "r&d",
    "km",
    "mu",
    "kwh",
    "echarts",
    "tabler",
    "gb",
    "iso",
    "ok",
    "uscc",
    "english",  # the language switcher names English in English
    "esc",  # the key that leaves full screen
    "cxo",
    "cro",
    "cdmo",
    "cmo",
    "ind",
    "nda",
    "bla",
    "gmp",
    "glp",
    "ivd",  # biomedicine terms used as such
}
WORD = re.compile(r"[A-Za-z][A-Za-z'&-]{2,}")
# The permission world names its rows with upper-case markers (PLANA, ENTP1A, TASKXB): data, not words.
DATA_MARKERS = tuple(
    sorted(
        {
            re.match(r"[A-Z]+", token)[0]  # type: ignore[index]
            for token in re.findall(
                r"(?<![A-Za-z])[A-Z]{3,}[A-Z0-9]*",
                (Path(__file__).parent / "permission_world.py").read_text(),
            )
        }
    )
)
DATA_WORDS = {"upload"}  # the world's uploaded plan is "upload.docx"


class _Page(HTMLParser):
    """The visible text (without scripts, styles and JSON data) and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("placeholder", "title", "aria-label"):
            if values.get(name):
                self.text.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.text.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _start_pages() -> list[str]:
    """The resolver's pages that need no parameter (lists, dashboards, forms)."""
    found = []

    def walk(resolver: URLResolver, prefix: str, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groups:
                path = "/" + prefix + str(p.pattern)
                if "<" not in path and "^" not in path and not path.startswith(SKIP_PREFIXES):
                    found.append(reverse(ns + p.name))

    walk(get_resolver(), "", "")
    return sorted(set(found) - {"/api/"})


def _english_words(text: str, world_markers: set[str]) -> set[str]:
    for marker in sorted(world_markers, key=len, reverse=True):
        text = text.replace(marker, " ")  # usernames are data, shown as they are
    words = set()
    for word in WORD.findall(text):
        plain = word.strip("'-&")
        if plain.lower() in ALLOWED or plain.lower() in DATA_WORDS or plain.startswith(DATA_MARKERS):
            continue
        if re.fullmatch(r"[A-Z][a-z]?\d.*", plain):
            continue
        words.add(plain)
    return words


def _crawl(client: Client, world_markers: set[str]) -> dict[str, set[str]]:
    offenders: dict[str, set[str]] = {}
    seen: set[str] = set()
    per_route: dict[str, int] = defaultdict(int)
    queue = deque(_start_pages())
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        # A few pages per route; history pages count per model (app_label, model_name).
        route = match.view_name + repr(
            sorted((k, v) for k, v in match.kwargs.items() if not k.endswith(("pk", "id")))
        )
        if per_route[route] >= PAGES_PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        words = _english_words(" ".join(page.text), world_markers)
        if words:
            offenders[url] = words
        for href in page.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("#"):
                continue
            if target.startswith(SKIP_PREFIXES) or SKIP_PATTERN.search(target):
                continue
            if target.split("#")[0] not in seen:
                queue.append(target.split("#")[0])
    assert len(seen) > 10, "the crawl reached almost nothing"
    return offenders


@pytest.mark.parametrize("role", ROLES)
def test_chinese_pages_have_no_english_words(perm_world: PermissionWorld, role: str) -> None:
    client = Client()
    client.force_login(perm_world.users[role])
    client.cookies["django_language"] = "zh-hans"
    from bioplan.core.models import User

    markers = set(User.objects.values_list("username", flat=True))  # names shown as they are

    offenders = _crawl(client, markers)

    assert offenders == {}, "\n".join(f"{url}: {sorted(words)}" for url, words in sorted(offenders.items()))
