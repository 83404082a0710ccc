"""Record forms of the park registry: land parcels, buildings and their floor space. The forms
validate; the views hand `cleaned_data` to the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from bioplan.core.models import Department
from bioplan.parks.models import Building, FloorSpace, LandParcel, Park
from bioplan.web.forms import RecordModelForm, SearchableSelect


class ParcelForm(RecordModelForm):
    class Meta:
        model = LandParcel
        fields = [
            "code",
            "name",
            "area_mu",
            "land_use",
            "status",
            "available_from",
            "supplied_on",
            "supplied_to",
        ]
        help_texts = {"supplied_on": _("Required once the parcel is supplied (出让).")}

    def __init__(self, *args: Any, park: Park, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.park = park


class BuildingForm(RecordModelForm):
    class Meta:
        model = Building
        fields = ["name", "floors"]

    def __init__(self, *args: Any, park: Park, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.park = park


class SpaceForm(RecordModelForm):
    class Meta:
        model = FloorSpace
        fields = [
            "building",
            "floor",
            "space_type",
            "area_m2",
            "available_from",
            "rent",
            "status",
            "tenant_name",
        ]
        help_texts = {"tenant_name": _("Required when the space is let or reserved.")}
        labels = {"building": _("Building")}  # the model field has no verbose name of its own

    def __init__(self, *args: Any, park: Park, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(park=park).order_by("name")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["building"].disabled = True


class ParkForm(RecordModelForm):
    class Meta:
        model = Park
        fields = ["park_type", "area_km2", "planned_land_mu", "operator_department", "latitude", "longitude"]
        widgets = {"operator_department": SearchableSelect}

    def __init__(self, *args: Any, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["operator_department"]
        field.queryset = Department.objects.filter(region=self.instance.district).order_by("name")  # type: ignore[attr-defined]
        field.disabled = not office  # only the office names the operator
