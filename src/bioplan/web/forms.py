"""The form renderer that gives every Django form the Tabler look.

Written by hand rather than with django-crispy-forms: the whole job is a CSS class per widget type
and two templates, and it applies to fields rendered one by one (``{{ form.comment }}``) as well as
to ``{{ form }}``, because Django renders every widget and label through ``FORM_RENDERER``.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest

_CHECK_TYPES = {"checkbox", "radio"}
_SELECT_TEMPLATES = {"django/forms/widgets/select.html"}
_UNSTYLED_TEMPLATES = {
    "django/forms/widgets/radio.html",
    "django/forms/widgets/checkbox_select.html",
    "django/forms/widgets/multiwidget.html",
    "django/forms/widgets/splitdatetime.html",
    "django/forms/widgets/splithiddendatetime.html",
}


def widget_css_class(widget: dict[str, Any]) -> str:
    """The Tabler class of a widget from its render context ('' for hidden and compound widgets)."""
    if widget.get("is_hidden") or widget.get("template_name") in _UNSTYLED_TEMPLATES:
        return ""
    if widget.get("type") in _CHECK_TYPES:
        return "form-check-input"
    if widget.get("template_name") in _SELECT_TEMPLATES:
        return "form-select"
    return "form-control"


def _with_class(attrs: dict[str, Any], css: str) -> dict[str, Any]:
    present = str(attrs.get("class", "")).split()
    added = [c for c in css.split() if c not in present]
    return {**attrs, "class": " ".join([*present, *added])} if added else attrs


class TablerFormRenderer(DjangoTemplates):
    """Django's renderer with Tabler field/form templates and classes on every widget and label."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and isinstance(widget.get("attrs"), dict):
            css = widget_css_class(widget)
            if css and widget["attrs"].get("aria-invalid") == "true":
                css += " is-invalid"
            if css:
                widget["attrs"] = _with_class(widget["attrs"], css)
        elif template_name == "django/forms/label.html" and isinstance(context.get("attrs"), dict):
            field = getattr(context.get("field"), "field", None)
            required = field is not None and field.required and not field.widget.is_hidden
            context["attrs"] = _with_class(
                context["attrs"], "form-label required" if required else "form-label"
            )
        return super().render(template_name, context, request)
