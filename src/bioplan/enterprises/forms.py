"""Record forms of the enterprise registry: an enterprise, its honours, figures, products and its
place in the cultivation pool. The forms validate; the views hand `cleaned_data` to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bioplan.core.models import Region
from bioplan.enterprises.choices import CultivationTier, HonourKind, ProductPhase, Segment
from bioplan.enterprises.creditcode import credit_code_normalize
from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product
from bioplan.web.forms import RecordForm, RecordModelForm, SearchableSelect, version_field


class EnterpriseForm(RecordModelForm):
    """An enterprise of `district`; parks limited to those the user may write."""

    version = version_field()
    other_segments = forms.MultipleChoiceField(
        label=_("other segments"),
        choices=Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input me-1"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "park",
            "segment",
            "other_segments",
            "is_above_scale",
            "founded_on",
            "address",
        ]
        widgets = {"park": SearchableSelect}
        help_texts = {
            "credit_code": _("18 characters; checked against its check digit."),
            "park": _("Leave empty for an enterprise outside the registered parks."),
        }

    def __init__(self, *args: Any, district: Region, parks: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["credit_code"].disabled = True
            self.fields["credit_code"].help_text = _(
                "The credit code identifies the enterprise and is not changed."
            )
            self.fields["version"].initial = self.instance.version

    def clean_credit_code(self) -> str:
        return credit_code_normalize(self.cleaned_data.get("credit_code") or "")


class HonourForm(RecordModelForm):
    class Meta:
        model = Honour
        fields = ["kind", "level", "valid_from", "valid_until", "certificate_no", "board", "stock_code"]
        help_texts = {
            "valid_until": _("Empty: still valid. 高新技术企业 without a date is valid for three years."),
            "board": _("Required for 上市企业."),
        }

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity is before its start."))
        if data.get("kind") == HonourKind.LISTED and not data.get("board"):
            self.add_error("board", _("A listed enterprise needs its listing board."))
        return data

    def _post_clean(self) -> None:
        # The model's check constraints would repeat clean()'s two checks under their English
        # names; the service's full_clean still enforces them.
        self.instance.validate_constraints = lambda exclude=None: None  # type: ignore[method-assign]
        super()._post_clean()  # type: ignore[misc]
        del self.instance.validate_constraints


class FigureForm(RecordModelForm):
    class Meta:
        model = EnterpriseFigure
        fields = [
            "year",
            "quarter",
            "revenue",
            "industrial_output",
            "rd_expense",
            "tax",
            "employees",
            "source",
        ]
        help_texts = {
            "quarter": _("0 for the whole year; 1–4 for the year to the end of that quarter."),
            "revenue": _("万元"),
            "industrial_output": _("万元"),
            "rd_expense": _("万元"),
            "tax": _("万元"),
        }

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.fields["year"].min_value = 2000  # type: ignore[attr-defined]
        self.fields["year"].max_value = 2100  # type: ignore[attr-defined]
        self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def validate_unique(self) -> None:
        """A second entry for a period corrects the first (figure_record), so no uniqueness error."""


class ProductForm(RecordModelForm):
    reached_on = forms.DateField(
        label=_("reached on"), help_text=_("The date the product reached its current phase.")
    )

    class Meta:
        model = Product
        fields = ["name", "kind", "phase", "category", "indication", "registration_no"]

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        if self.instance.pk:  # the phase moves forward through ProductAdvanceForm
            for name in ("kind", "phase", "reached_on"):
                del self.fields[name]


class ProductAdvanceForm(RecordForm):
    phase = forms.ChoiceField(label=_("new phase"), choices=ProductPhase.choices)
    reached_on = forms.DateField(label=_("reached on"))


class CultivationForm(RecordForm):
    tier = forms.ChoiceField(label=_("tier"), choices=CultivationTier.choices)
    entered_on = forms.DateField(label=_("entered on"))
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why the enterprise enters the pool or moves tier; kept in the change history."),
    )


class CultivationRemoveForm(RecordForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("e.g. graduated, moved out of the district.")
    )
