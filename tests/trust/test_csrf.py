"""Every POST form on every page carries a CSRF token, and a POST without one is refused with 403.

The pages are found by crawling the site from the start page as each role (links on pages lead to
the detail pages, so pages with ids in their URL are covered too); new apps' pages join by themselves.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from tests.conftest import SAMPLE_DRAFT
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.core.models import Department
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/i18n/", "/accounts/logout/")
MAX_PAGES = 150


@dataclass
class Form:
    page: str
    method: str
    action: str
    has_token: bool = False
    fields: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form(
                page=self.url,
                method=a.get("method", "get").lower(),
                action=urljoin(self.url, a.get("action", "")),
            )
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None and a.get("name"):
            if a["name"] == "csrfmiddlewaretoken" and a.get("value"):
                self._form.has_token = True
            elif a.get("type") != "file":
                self._form.fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def crawl(client: Client, start: str = "/") -> tuple[list[str], list[Form]]:
    seen: list[str] = []
    queue, forms = [start], []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen or parts.path.startswith(SKIP_PREFIXES):
            continue
        seen.append(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser(url)
        parser.feed(response.content.decode())
        forms.extend(parser.forms)
        queue.extend(link.split("#")[0] for link in parser.links if link.split("#")[0] not in seen)
    return seen, forms


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    office = UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district())
    result = plan_import(
        draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)), user=office, source_file="a.json"
    )
    department = Department.objects.filter(name="区经委").first()
    liaison = UserFactory(
        username="jingwei", role=Role.LIAISON, department=department, region=result.plan.region
    )
    leader = UserFactory(username="leader", role=Role.LEADER, region=result.plan.region)
    return {"office": office, "liaison": liaison, "leader": leader}


def _post_forms(client: Client) -> tuple[list[str], list[Form]]:
    pages, forms = crawl(client)
    return pages, [f for f in forms if f.method == "post"]


@pytest.mark.parametrize("role", ["anonymous", "office", "liaison", "leader"])
def test_every_post_form_has_a_csrf_token_and_refuses_a_post_without_it(site, role):
    browser = Client()
    if role == "anonymous":
        start_pages, forms = crawl(browser, "/accounts/login/")
        forms = [f for f in forms if f.method == "post"]
    else:
        browser.force_login(site[role])
        start_pages, forms = _post_forms(browser)
    assert len(start_pages) >= (1 if role == "anonymous" else 3), start_pages

    missing = [(f.page, f.action) for f in forms if not f.has_token]
    assert not missing, f"POST forms without a CSRF token: {missing}"
    assert forms, "no POST form found (login, logout or language forms at least)"

    strict = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        strict.force_login(site[role])
    for action in sorted({f.action for f in forms}):
        form = next(f for f in forms if f.action == action)
        response = strict.post(urlsplit(action).path, form.fields)
        assert response.status_code == 403, f"{action} (form on {form.page}) accepted a POST without a token"
        assert "CSRF" in response.content.decode() or response.templates, action


def test_pages_crawled_include_plan_pages(site):
    browser = Client()
    browser.force_login(site["office"])
    pages, forms = _post_forms(browser)
    assert any(p.startswith("/plans/") and p.rstrip("/").split("/")[-1].isdigit() for p in pages), pages
    assert any(urlsplit(f.action).path == "/plans/import/" for f in forms)
