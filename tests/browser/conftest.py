"""Browser tests: Playwright driving Debian's chromium against pytest-django's live_server.

Skipped, with the reason shown by ``pytest -rs`` (``make test`` passes it), when the playwright
package or a chromium binary is missing; `.ci/run` installs chromium so CI runs them. Nothing may
leave the machine: every request is recorded and requests to other hosts are aborted. A screenshot of
each test's last page is kept under test-artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]


def _chromium() -> str | None:
    explicit = os.environ.get("BIOPLAN_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package (pip install -e '.[dev]')"
    if _chromium() is None:
        return (
            "browser tests need chromium: apt-get install -y --no-install-recommends chromium "
            "fonts-wqy-microhei (or set BIOPLAN_CHROMIUM); .ci/run installs it"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per test module, stopped before the next module's tests run: while
    Playwright's sync API is started it keeps an event loop marked running, which Django's ORM
    refuses in every later test unless DJANGO_ALLOW_ASYNC_UNSAFE stays set."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # tests only: the ORM runs beside Playwright's loop
    playwright = sync_playwright().start()
    try:
        instance = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageLog:
    """What a page did: every request's URL, console errors, uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]

    def assert_clean(self) -> None:
        assert not self.foreign_requests(), f"requests leaving localhost: {self.foreign_requests()}"
        assert not self.page_errors, f"uncaught page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A factory of pages in fresh browser contexts (one per signed-in user), each with a PageLog."""
    contexts: list[Any] = []
    pages: list[tuple[Any, PageLog]] = []

    def make() -> tuple[Any, PageLog]:
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
        )
        context.set_default_timeout(15_000)
        log = PageLog()

        def block_foreign(route: Any) -> None:
            host = urlsplit(route.request.url).hostname
            if host in LOCAL_HOSTS:
                route.continue_()
            else:
                route.abort()

        context.route(re.compile(r"^https?://"), block_foreign)
        page = context.new_page()
        page.on("request", lambda r: log.requests.append(r.url))
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        contexts.append(context)
        pages.append((page, log))
        return page, log

    yield make
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for i, (page, _log) in enumerate(pages):
        with contextlib.suppress(Exception):  # a closed page leaves no picture; the test result says why
            page.screenshot(path=str(ARTIFACTS / f"{name}{'' if i == 0 else f'-{i}'}.png"), full_page=True)
    for context in contexts:
        context.close()


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")
