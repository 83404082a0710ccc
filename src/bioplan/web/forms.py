"""The form renderer that gives every Django form the Tabler look.

Written by hand rather than with django-crispy-forms: the whole job is a CSS class per widget type
and two templates, and it applies to fields rendered one by one (``{{ form.comment }}``) as well as
to ``{{ form }}``, because Django renders every widget and label through ``FORM_RENDERER``.

Below it, what every record form shares: searchable long choice lists, and the way a service's
validation errors land on the form. Record forms declare their fields (usually from the model, so
labels and help texts are the model's translated verbose names) and never save: the view passes
`cleaned_data` to the app's service, which checks the permission, validates and records the
change. Pages render them with `web/forms/form_page.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

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


class SearchableSelect(forms.Select):
    """A drop-down the browser turns into a type-to-search box (Tom Select, vendored): for long
    lists such as departments, enterprises and parks."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"data-bp-searchable": "", **(attrs or {})}, choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TablerFormMixin:
    """Record forms: fields in a two-column grid (`web/forms/fields.html`; each field drawn by the
    Tabler renderer above), and the browser's date picker for date fields."""

    template_name = "web/forms/fields.html"
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                field.widget = DateInput(field.widget.attrs)


class RecordForm(TablerFormMixin, forms.Form):
    pass


class RecordModelForm(TablerFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A form whose fields come from the model. It validates (model `clean`, validators, unique
    checks) but is never saved: the view hands `cleaned_data` to the service."""


class DeleteForm(RecordForm):
    reason = forms.CharField(
        label=_("Reason for deleting"),
        max_length=200,
        help_text=_("Kept in the change history; the record can be restored from there."),
    )


def version_field() -> forms.IntegerField:
    """The version of the record the user loaded, sent back so a concurrent edit is caught."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has that field,
    otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: Any,
    cancel_url: str,
    pretitle: str = "",
    delete_url: str = "",
    intro: Any = "",
    submit_label: Any = "",
) -> HttpResponse:
    """A record form on its own page (Tabler card, searchable drop-downs); 200 also when invalid."""
    return render(
        request,
        "web/forms/form_page.html",
        {
            "form": form,
            "title": title,
            "pretitle": pretitle,
            "cancel_url": cancel_url,
            "delete_url": delete_url,
            "intro": intro,
            "submit_label": submit_label,
        },
    )


def delete_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    obj: object,
    title: Any,
    cancel_url: str,
    pretitle: str = "",
    cascade: list[str] | None = None,
) -> HttpResponse:
    """Ask for the reason before deleting `obj` (and what goes with it)."""
    return render(
        request,
        "web/forms/confirm_delete.html",
        {
            "form": form,
            "object": obj,
            "title": title,
            "pretitle": pretitle,
            "cancel_url": cancel_url,
            "cascade": cascade or [],
        },
    )


def call_service(form: forms.BaseForm, service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run `service`; its ValidationError (an edit conflict too) lands on the form and gives None.
    PermissionDenied is left to Django (403)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
