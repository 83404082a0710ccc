"""Start-page panels contributed by other apps.

An app registers a panel in its ``AppConfig.ready()``::

    from bioplan.web.panels import register_panel
    register_panel("tracking/panels/reminders.html", reminders_panel_context, order=20)

``context_func(request)`` returns the template's context (a dict) or None to hide the panel for this
request, e.g. when the user has nothing due. Panels render in ascending ``order``.

For a simple list or text, reuse ``web/panels/card.html`` (context: ``title``, optional ``body``,
optional ``items`` = [{"label", "url", "note"}], optional ``more_url``).
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


# Keyed by (template, function) so that ready() running twice does not show a panel twice, while
# several apps may share the generic "web/panels/card.html".
_panels: dict[tuple[str, str], StartPanel] = {}


def _key(template_name: str, context_func: PanelContextFunc) -> tuple[str, str]:
    module = getattr(context_func, "__module__", "")
    return template_name, f"{module}.{getattr(context_func, '__qualname__', repr(context_func))}"


def register_panel(template_name: str, context_func: PanelContextFunc, order: int = 100) -> None:
    """Add a panel to the start page; registering the same template and function again replaces it."""
    _panels[_key(template_name, context_func)] = StartPanel(template_name, context_func, order)


def unregister_panel(template_name: str, context_func: PanelContextFunc) -> None:
    _panels.pop(_key(template_name, context_func), None)


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
