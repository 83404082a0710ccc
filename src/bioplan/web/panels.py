"""Start-page panels contributed by other apps.

An app registers a panel in its ``AppConfig.ready()``::

    from bioplan.web.panels import register_panel
    register_panel("tracking/panels/reminders.html", reminders_panel_context, order=20)

``context_func(request)`` returns the template's context (a dict) or None to hide the panel for this
request, e.g. when the user has nothing due. Panels render in ascending ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PanelContextFunc = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class StartPanel:
    template_name: str
    context_func: PanelContextFunc
    order: int


_panels: dict[str, StartPanel] = {}


def register_panel(template_name: str, context_func: PanelContextFunc, order: int = 100) -> None:
    """Add a panel to the start page; registering the same template again replaces the earlier entry."""
    _panels[template_name] = StartPanel(template_name, context_func, order)


def unregister_panel(template_name: str) -> None:
    _panels.pop(template_name, None)


def registered_panels() -> list[StartPanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.template_name))


def render_start_panels(request: HttpRequest) -> list[SafeString]:
    """The HTML of every panel whose context function returns a dict for this request, in order."""
    rendered = []
    for panel in registered_panels():
        context = panel.context_func(request)
        if context is None:
            continue
        rendered.append(render_to_string(panel.template_name, context, request=request))
    return rendered
