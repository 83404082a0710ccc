"""Record forms of the key-project registry: a project (with its planned stage dates when it is
registered) and the planned dates of its stages. The views hand `cleaned_data` to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bioplan.core.models import Department, Region
from bioplan.enterprises.models import Enterprise
from bioplan.projects.choices import ProjectStage
from bioplan.projects.models import Project
from bioplan.web.forms import DateInput, RecordForm, RecordModelForm, SearchableSelect, version_field


def _stage_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput)


class ProjectForm(RecordModelForm):
    """A project of `district`: parks, enterprises and departments limited to what the user may choose.
    A new project also takes the planned date of each stage (planned_<stage>)."""

    version = version_field()

    class Meta:
        model = Project
        fields = [
            "name",
            "investor_name",
            "enterprise",
            "project_type",
            "park",
            "total_investment",
            "land_mu",
            "floor_area_m2",
            "expected_output",
            "responsible_department",
            "leader_name",
            "latitude",
            "longitude",
        ]
        widgets = {
            "enterprise": SearchableSelect,
            "park": SearchableSelect,
            "responsible_department": SearchableSelect,
        }
        help_texts = {
            "total_investment": _("亿元"),
            "expected_output": _("亿元 a year once at full production."),
            "enterprise": _("The registered enterprise behind the project, if any."),
            "responsible_department": _(
                "The department responsible for the project (包保); its liaison updates the stages."
            ),
        }

    def __init__(
        self,
        *args: Any,
        district: Region,
        parks: QuerySet[Region],
        enterprises: QuerySet[Enterprise],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        self.fields["responsible_department"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            for value, label in ProjectStage.choices:
                self.fields[f"planned_{value}"] = _stage_field(_("Planned: %(stage)s") % {"stage": label})

    def planned(self) -> dict[str, Any]:
        return {
            value: self.cleaned_data[f"planned_{value}"]
            for value, _label in ProjectStage.choices
            if self.cleaned_data.get(f"planned_{value}")
        }

    def project_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StagePlanForm(RecordForm):
    """The planned date of every stage (empty: not planned yet)."""

    version = version_field()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dates = {m.stage: m for m in project.milestones.all()}
        for value, label in ProjectStage.choices:
            milestone = dates.get(value)
            field = _stage_field(label)
            field.initial = milestone.planned_on if milestone else None
            if milestone and milestone.actual_on:
                field.help_text = _("Reached on %(day)s") % {"day": milestone.actual_on.isoformat()}
            self.fields[value] = field
        self.fields["version"].initial = project.version

    def planned(self) -> dict[str, Any]:
        return {value: self.cleaned_data.get(value) for value, _label in ProjectStage.choices}
