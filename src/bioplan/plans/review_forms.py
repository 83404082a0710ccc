"""Forms of the plan review page: the plan's details, one target, one task, one park.

Each form checks its fields with Chinese messages and gives the item in the contract's shape
(`item()`, the keys of ../shared/eval/GOLD_GUIDE.md), which the review services store in the draft.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bioplan.core.models import Region
from bioplan.core.validation import YEAR_MAX, YEAR_MIN
from bioplan.plans.choices import Comparator, PlanStatus, TargetKind, TargetLevel

# Lists of names typed in one box: split at the separators a Chinese text uses.
_LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")


def names(text: str) -> list[str]:
    """ "区经委、区科委" → ["区经委", "区科委"] (order kept, each once)."""
    return list(dict.fromkeys(n for n in _LIST_SEPARATORS.split(text or "") if n))


def _number_out(value: Decimal | None) -> int | float | None:
    """A Decimal as the contract writes numbers (JSON has no decimals): 160 stays 160, 2.5 is 2.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class _TablerForm(forms.Form):
    """Tabler's classes on every widget, so the partial forms look like the rest of the app."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class DraftMetaForm(_TablerForm):
    region = forms.ModelChoiceField(
        label=_("region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— choose the district —"),
        help_text=_("the district whose plan this is; needed before publishing"),
    )
    title = forms.CharField(label=_("title"), max_length=200)
    industry = forms.CharField(label=_("industry"), max_length=50, required=False)
    period_start = forms.IntegerField(
        label=_("period start"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    period_end = forms.IntegerField(
        label=_("period end"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    status = forms.ChoiceField(label=_("status"), choices=_choices(PlanStatus.choices), required=False)
    doc_number = forms.CharField(
        label=_("document number"), max_length=50, required=False, help_text=_("e.g. 浦府办〔2022〕2号")
    )
    issued_on = forms.DateField(
        label=_("issued on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("the 印发 date, not the end of validity (有效期至)"),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        return data

    def meta(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "industry": data["industry"] or None,
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "status": data["status"] or None,
            "doc_number": data["doc_number"] or None,
            "issued_on": data["issued_on"].isoformat() if data["issued_on"] else None,
        }

    @staticmethod
    def initial_from(plan: dict[str, Any], region: Region | None, version: int) -> dict[str, Any]:
        initial = {k: plan.get(k) for k in ("title", "industry", "period_start", "period_end", "status")}
        initial.update(
            doc_number=plan.get("doc_number"), issued_on=plan.get("issued_on"), region=region, version=version
        )
        return initial


class TargetItemForm(_TablerForm):
    metric = forms.CharField(label=_("metric"), max_length=200, help_text=_("e.g. 规上工业总产值"))
    kind = forms.ChoiceField(label=_("kind"), choices=TargetKind.choices)
    comparator = forms.ChoiceField(label=_("comparator"), choices=Comparator.choices)
    value = forms.DecimalField(label=_("value"), max_digits=20, decimal_places=4)
    value_max = forms.DecimalField(
        label=_("upper value"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("only for a range such as 8-10家"),
    )
    unit = forms.CharField(label=_("unit"), max_length=20, help_text=_("亿元, 家, %…"))
    year = forms.IntegerField(label=_("year"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)
    level = forms.ChoiceField(label=_("level"), choices=_choices(TargetLevel.choices), required=False)
    scope = forms.CharField(label=_("scope"), max_length=100, required=False)
    baseline_value = forms.DecimalField(
        label=_("baseline value"), max_digits=20, decimal_places=4, required=False
    )
    baseline_year = forms.IntegerField(
        label=_("baseline year"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    quote = forms.CharField(
        label=_("quote"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("the words of the document that set this target"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, value_max = data.get("value"), data.get("value_max")
        if data.get("comparator") == Comparator.RANGE and value_max is None:
            self.add_error("value_max", _("A range needs an upper value."))
        if value is not None and value_max is not None and value_max < value:
            self.add_error("value_max", _("The upper value is below the value."))
        return data

    def item(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "metric": d["metric"],
            "kind": d["kind"],
            "value": _number_out(d["value"]),
            "value_max": _number_out(d["value_max"]),
            "unit": d["unit"],
            "comparator": d["comparator"],
            "year": d["year"],
            "level": d["level"] or None,
            "scope": d["scope"] or None,
            "baseline_value": _number_out(d["baseline_value"]),
            "baseline_year": d["baseline_year"],
            "quote": d["quote"],
        }

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name) for name in TargetItemForm.base_fields if name != "version"}


class TaskItemForm(_TablerForm):
    number = forms.CharField(label=_("number"), max_length=10)
    title = forms.CharField(label=_("title"), max_length=300)
    section = forms.CharField(label=_("section"), max_length=200, required=False)
    leads = forms.CharField(
        label=_("lead departments (牵头)"),
        max_length=500,
        required=False,
        help_text=_("separate names with 、"),
    )
    cos = forms.CharField(
        label=_("co-operating departments (配合)"),
        max_length=1000,
        required=False,
        help_text=_("separate names with 、"),
    )
    deadline_text = forms.CharField(
        label=_("deadline as written"), max_length=100, required=False, help_text=_("e.g. 2024年底前")
    )
    deadline_date = forms.DateField(
        label=_("deadline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def item(self) -> dict[str, Any]:
        d = self.cleaned_data
        leads = names(d["leads"])
        cos = [n for n in names(d["cos"]) if n not in leads]
        deadline = None
        if d["deadline_text"] or d["deadline_date"]:
            deadline = {
                "text": d["deadline_text"] or d["deadline_date"].isoformat(),
                "date": d["deadline_date"].isoformat() if d["deadline_date"] else None,
            }
        return {
            "number": d["number"],
            "title": d["title"],
            "section": d["section"] or None,
            "lead_departments": leads,
            "departments": [*leads, *cos],
            "deadline": deadline,
        }

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        leads = [n for n in item.get("lead_departments") or [] if isinstance(n, str)]
        deadline: dict[str, Any] = item["deadline"] if isinstance(item.get("deadline"), dict) else {}
        return {
            "number": item.get("number"),
            "title": item.get("title"),
            "section": item.get("section"),
            "leads": "、".join(leads),
            "cos": "、".join(
                n for n in item.get("departments") or [] if isinstance(n, str) and n not in leads
            ),
            "deadline_text": deadline.get("text"),
            "deadline_date": deadline.get("date"),
        }


class ParkItemForm(_TablerForm):
    name = forms.CharField(label=_("name"), max_length=100)
    type = forms.CharField(
        label=_("type"), max_length=30, required=False, help_text=_("e.g. 区域型, 楼宇型, 基地")
    )
    group = forms.CharField(
        label=_("layout group"), max_length=10, required=False, help_text=_("e.g. 3, 6, X")
    )
    focus = forms.CharField(
        label=_("focus fields"), max_length=500, required=False, help_text=_("separate names with 、")
    )
    new_land_mu = forms.DecimalField(
        label=_("new land (mu)"), max_digits=12, decimal_places=2, required=False, min_value=0
    )

    def item(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "type": d["type"] or None,
            "group": d["group"] or None,
            "focus": names(d["focus"]),
            "new_land_mu": _number_out(d["new_land_mu"]),
        }

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        focus = [n for n in item.get("focus") or [] if isinstance(n, str)]
        return {
            "name": item.get("name"),
            "type": item.get("type"),
            "group": item.get("group"),
            "focus": "、".join(focus),
            "new_land_mu": item.get("new_land_mu"),
        }


ITEM_FORMS: dict[str, type[TargetItemForm] | type[TaskItemForm] | type[ParkItemForm]] = {
    "targets": TargetItemForm,
    "tasks": TaskItemForm,
    "parks": ParkItemForm,
}
