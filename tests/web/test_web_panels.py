"""The start-panel registry: order, hiding with None, replacement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from bioplan.web import panels
from bioplan.web.panels import register_panel, registered_panels, render_start_panels

CARD = "web/panels/card.html"


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(panels, "_panels", {})
    yield


def reminders(request: HttpRequest) -> dict[str, Any] | None:
    return {"title": "季度报送提醒", "items": [{"label": "2026年第3季度 待报送", "url": "/reports/"}]}


def news(request: HttpRequest) -> dict[str, Any] | None:
    return {"title": "通知", "body": "系统将于周六维护。"}


def nothing_due(request: HttpRequest) -> dict[str, Any] | None:
    return None


def test_panels_render_in_ascending_order() -> None:
    register_panel(CARD, news, order=50)
    register_panel(CARD, reminders, order=10)

    html = render_start_panels(RequestFactory().get("/"))

    assert len(html) == 2
    assert "季度报送提醒" in html[0]
    assert '<a href="/reports/"' in html[0]
    assert "系统将于周六维护。" in html[1]


def test_a_context_function_returning_none_hides_its_panel() -> None:
    register_panel(CARD, nothing_due, order=1)
    register_panel(CARD, news, order=2)

    html = render_start_panels(RequestFactory().get("/"))

    assert len(html) == 1
    assert "通知" in html[0]


def test_registering_the_same_panel_twice_keeps_one_entry_with_the_new_order() -> None:
    register_panel(CARD, news, order=50)
    register_panel(CARD, news, order=5)

    assert [(p.context_func, p.order) for p in registered_panels()] == [(news, 5)]
