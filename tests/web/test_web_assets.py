"""Offline guarantees: every asset is served from /static/, exists, and reaches nothing outside."""

from __future__ import annotations

import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse

import bioplan.web

WEB_DIR = Path(bioplan.web.__file__).parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"
PO_FILE = WEB_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


class AssetCollector(HTMLParser):
    """Collects every URL the browser would fetch without a click."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.all_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "video", "audio", "embed"} and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag == "use" and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag == "meta" and (a.get("name") or "").startswith("bioplan-"):
            self.urls.append(a.get("content") or "")
        for name in ("src", "href", "action", "content"):
            value = a.get(name)
            if value:
                self.all_links.append(value)


def _collect(html: str) -> AssetCollector:
    collector = AssetCollector()
    collector.feed(html)
    return collector


@pytest.fixture
def pages(client: Client, db: None) -> dict[str, str]:
    from tests.factories import UserFactory

    login_html = client.get(reverse("login")).content.decode()
    client.force_login(UserFactory(username="assets", is_staff=True))
    home_html = client.get("/").content.decode()
    return {"login": login_html, "home": home_html}


@pytest.mark.parametrize("page", ["home", "login"])
def test_every_asset_is_a_local_static_path(pages: dict[str, str], page: str) -> None:
    collector = _collect(pages[page])

    assert len(collector.urls) >= 5
    for url in collector.urls:
        assert url.startswith("/static/"), url
    for link in collector.all_links:
        assert not re.match(r"(?i)^(https?:)?//", link), link


@pytest.mark.parametrize("page", ["home", "login"])
def test_every_static_asset_a_page_references_exists(pages: dict[str, str], page: str) -> None:
    for url in _collect(pages[page]).urls:
        path = url.removeprefix("/static/").split("#")[0].split("?")[0]
        assert finders.find(path), f"{url} is not in any static folder"


def test_every_static_path_named_in_web_templates_exists() -> None:
    names: set[str] = set()
    for template in TEMPLATE_DIR.rglob("*.html"):
        names.update(re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]""", template.read_text(encoding="utf-8")))

    assert "vendor/tabler/css/tabler.min.css" in names
    assert "vendor/echarts/echarts.min.js" in names
    missing = sorted(name for name in names if not finders.find(name))
    assert missing == []


def test_icons_used_in_templates_are_in_the_sprite() -> None:
    sprite = (STATIC_DIR / "vendor/tabler-icons/tabler-sprite.svg").read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="(tabler-[a-z0-9-]+)"', sprite))
    used: set[str] = set()
    for template in TEMPLATE_DIR.rglob("*.html"):
        used.update(re.findall(r"#(tabler-[a-z0-9-]+)\"", template.read_text(encoding="utf-8")))
    from bioplan.web.context_processors import NAV_ENTRIES

    used.update(f"tabler-{entry.icon}" for entry in NAV_ENTRIES)

    assert sorted(used - symbols) == []


@pytest.mark.parametrize("css", sorted(STATIC_DIR.rglob("*.css")), ids=lambda p: p.name)
def test_css_reaches_nothing_outside(css: Path) -> None:
    text = css.read_text(encoding="utf-8")

    assert "@import" not in text
    assert not re.search(r"""url\(\s*['"]?\s*(https?:)?//""", text, re.I)
    assert "fonts.googleapis" not in text
    assert "fonts.gstatic" not in text


def test_source_maps_referenced_by_vendored_files_are_present() -> None:
    for asset in [*STATIC_DIR.rglob("*.js"), *STATIC_DIR.rglob("*.css")]:
        for target in re.findall(r"sourceMappingURL=([^\s*]+)", asset.read_text(encoding="utf-8")):
            assert (asset.parent / target).is_file(), f"{asset.name} points to missing {target}"


def test_manifest_storage_can_hash_every_web_static_file(tmp_path: Path) -> None:
    """What `collectstatic` does in production (CompressedManifestStaticFilesStorage) must not fail."""
    target = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    source = FileSystemStorage(location=STATIC_DIR)
    paths: dict[str, tuple[Any, str]] = {}
    for file in STATIC_DIR.rglob("*"):
        if file.is_file():
            name = file.relative_to(STATIC_DIR).as_posix()
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, tmp_path / name)
            paths[name] = (source, name)

    results = list(target.post_process(paths))

    errors = [processed for _, _, processed in results if isinstance(processed, Exception)]
    assert errors == []
    assert target.stored_name("vendor/tabler/css/tabler.min.css") != "vendor/tabler/css/tabler.min.css"


def _po_entries() -> dict[tuple[str | None, str], str]:
    entries: dict[tuple[str | None, str], str] = {}
    context: str | None = None
    msgid = msgstr = ""
    field = None
    for line in [*PO_FILE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgctxt "):
            context, field = line[9:-1], "ctx"
        elif line.startswith("msgid "):
            msgid, field = line[7:-1], "id"
        elif line.startswith("msgstr "):
            msgstr, field = line[8:-1], "str"
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str":
            msgstr += line[1:-1]
        elif not line.strip() and field == "str":
            if msgid:
                entries[(context, msgid.replace('\\"', '"'))] = msgstr.replace('\\"', '"')
            context, field = None, None
    return entries


def test_compiled_catalogue_matches_the_po_file_and_translates_everything() -> None:
    catalogue = gettext.GNUTranslations(PO_FILE.with_suffix(".mo").open("rb"))
    entries = _po_entries()

    assert len(entries) >= 40
    for (context, msgid), msgstr in entries.items():
        assert msgstr, f"untranslated: {msgid}"
        got = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert got == msgstr, f"stale .mo for {msgid!r}: run msgfmt"
