"""Start page, health check, login page language, error pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.views import defaults
from tests.factories import DepartmentFactory, UserFactory

from bioplan.core.choices import Role
from bioplan.web import panels


@pytest.fixture
def liaison(db: None) -> Any:
    department = DepartmentFactory(name="区经委")
    return UserFactory(username="zhang", first_name="张三", role=Role.LIAISON, department=department)


@pytest.fixture
def no_panels(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(panels, "_panels", {})
    yield


def test_home_redirects_anonymous_users_to_login(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/"


def test_home_greets_the_user_with_department_and_role(client: Client, liaison: Any, no_panels: None) -> None:
    client.force_login(liaison)

    html = client.get("/").content.decode()

    assert "您好，张三" in html
    assert "区经委" in html
    assert "部门联络员" in html
    assert "生物医药产业行动方案管理平台" in html


def test_home_links_to_the_mounted_sections(client: Client, liaison: Any, no_panels: None) -> None:
    client.force_login(liaison)

    response = client.get("/")

    section_urls = [item.url for item in response.context["sections"]]
    assert section_urls == [item.url for item in response.context["nav_items"]]
    for url in section_urls:
        assert f'href="{url}"' in response.content.decode()


def test_home_shows_registered_panels_and_hides_those_returning_none(
    client: Client, liaison: Any, no_panels: None
) -> None:
    def reminders(request: HttpRequest) -> dict[str, Any] | None:
        return {"title": f"{request.user.get_username()} 的待办", "items": [{"label": "第3季度进展待报送"}]}

    def hidden(request: HttpRequest) -> dict[str, Any] | None:
        return None

    panels.register_panel("web/panels/card.html", reminders, order=1)
    panels.register_panel("web/panels/card.html", hidden, order=2)
    client.force_login(liaison)

    response = client.get("/")

    assert len(response.context["panels"]) == 1
    assert "zhang 的待办" in response.content.decode()


def test_page_has_post_logout_form_with_csrf_and_language_switch(client: Client, liaison: Any) -> None:
    client.force_login(liaison)

    html = client.get("/").content.decode()

    assert f'<form action="{reverse("logout")}" method="post" class="bp-logout-form">' in html
    assert f'<form action="{reverse("set_language")}" method="post" class="bp-language-form">' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2


def test_healthz_answers_without_login(client: Client, db: None) -> None:
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_login_page_is_chinese_by_default(client: Client, db: None) -> None:
    html = client.get(reverse("login")).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "Log in" not in html


def test_login_page_is_english_after_choosing_english(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "登录" not in html


def test_login_page_stays_chinese_for_an_english_browser(client: Client, db: None) -> None:
    # Chinese first: only the language switch changes the language, not the browser's settings.
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "登录" in html and "Log in" not in html


def test_login_page_keeps_next_and_shows_form_errors(client: Client, liaison: Any) -> None:
    html = client.get(reverse("login") + "?next=/plans/").content.decode()
    assert '<input type="hidden" name="next" value="/plans/">' in html

    response = client.post(reverse("login"), {"username": "zhang", "password": "wrong", "next": "/plans/"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "bp-login-error" in html
    assert '<input type="hidden" name="next" value="/plans/">' in html
    assert 'value="zhang"' in html


def test_login_then_lands_on_next(client: Client, liaison: Any) -> None:
    response = client.post(
        reverse("login"), {"username": "zhang", "password": "correct-horse-battery", "next": "/healthz"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/healthz"


def test_unknown_page_shows_the_chinese_404_page(client: Client, liaison: Any) -> None:
    client.force_login(liaison)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page(liaison: Any) -> None:
    request = RequestFactory().get("/plans/1/edit/")
    request.user = liaison

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_500_page_is_plain_html_needing_no_context_processor_or_database() -> None:
    # No `db` fixture: touching the database here would fail the test.
    response = defaults.server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in html
    assert "Server error" in html
    assert "{%" not in html


def test_csrf_failure_page_explains_in_chinese(db: None) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()


def test_healthz_answers_head_requests(client: Client, db: None) -> None:
    assert client.head(reverse("healthz")).status_code == 200


@pytest.mark.parametrize("accept_language", ["zh-hans", "zh-CN,zh;q=0.9,en;q=0.8"])
def test_login_page_is_chinese_for_a_chinese_browser(client: Client, db: None, accept_language: str) -> None:
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_bigscreen_query_parameter_sets_the_body_class(client: Client, liaison: Any, no_panels: None) -> None:
    client.force_login(liaison)

    assert 'class=" bp-bigscreen"' in client.get("/?bigscreen=1").content.decode()
    assert "bp-bigscreen" not in client.get("/").content.decode().split("<body", 1)[1].split(">", 1)[0]


def test_current_section_is_marked_in_the_navbar(client: Client, office_user: Any) -> None:
    try:
        plans_url = reverse("plans:list")
    except NoReverseMatch:
        pytest.skip("the plans app is not mounted")
    client.force_login(office_user)

    html = client.get(plans_url).content.decode()

    assert f'<a class="nav-link" href="{plans_url}" aria-current="page">' in html
    assert 'aria-current="page"' not in client.get("/").content.decode()


def test_api_docs_page_has_the_app_frame_and_a_way_back(client: Client, liaison: Any) -> None:
    client.force_login(liaison)

    html = client.get("/api/docs/").content.decode()

    assert 'id="swagger-ui"' in html and "swagger-ui-bundle" in html
    assert 'id="navbar-menu"' in html  # the app's menu
    assert "返回首页" in html or "Back to the start page" in html
    assert "cdn.jsdelivr" not in html
