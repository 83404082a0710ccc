"""Park registry pages: parks with occupancy, floor space with filters, demands and their matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from bioplan.core.validation import parse_id
from bioplan.parks import selectors, services
from bioplan.parks.choices import Facility, SpaceStatus, SpaceType
from bioplan.parks.models import Building, FloorSpace, LandParcel, MapLayer, Park


def _int(value: str | None) -> int | None:
    return parse_id(value)


def park_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.occupancy_by_park(user=request.user)
    return render(request, "parks/park_list.html", {"rows": rows})


def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    park = get_object_or_404(selectors.parks_visible_to(request.user), pk=pk)
    spaces = selectors.space_list(user=request.user, filters=selectors.SpaceFilter(park=park.pk))
    parcels = LandParcel.objects.filter(park=park).order_by("code")
    occupancy = next(
        (o for o in selectors.occupancy_by_park(user=request.user) if o.park.pk == park.pk), None
    )
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "spaces": spaces,
            "parcels": parcels,
            "occ": occupancy,
            "can_edit": Park.objects.editable_by(request.user).filter(pk=park.pk).exists(),
            "buildings": Building.objects.filter(park=park).order_by("name"),
        },
    )


def space_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.SpaceFilter(
        park=_int(request.GET.get("park")),
        space_type=request.GET.get("space_type", "")
        if request.GET.get("space_type") in SpaceType.values
        else "",
        status=request.GET.get("status", "") if request.GET.get("status") in SpaceStatus.values else "",
        facility=request.GET.get("facility", "") if request.GET.get("facility") in Facility.values else "",
    )
    page = Paginator(selectors.space_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "parks/space_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "parks": selectors.parks_visible_to(request.user).order_by("name"),
            "types": [c for c in SpaceType.choices if c[0] != SpaceType.LAND],
            "statuses": SpaceStatus.choices,
            "facilities": Facility.choices,
        },
    )


def demand_list(request: HttpRequest) -> HttpResponse:
    demands = selectors.demands_visible_to(request.user).order_by("status", "-created_at")[:200]
    return render(request, "parks/demand_list.html", {"demands": demands})


def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(selectors.demands_visible_to(request.user), pk=pk)
    matches = selectors.demand_matches(demand=demand, user=request.user)
    can_accept = demand.status == "open" and not getattr(request.user, "is_read_only", True)
    return render(
        request, "parks/demand_detail.html", {"demand": demand, "matches": matches, "can_accept": can_accept}
    )


@require_POST
def demand_accept(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(selectors.demands_visible_to(request.user), pk=pk)
    try:
        user: Any = request.user
        services.demand_match_accept(demand=demand, offer_key=request.POST.get("offer", ""), user=user)
        messages.success(request, "已匹配。")
    except (ValidationError, ObjectDoesNotExist, ValueError) as exc:  # PermissionDenied: 403
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("parks:demand", pk=pk)


class MapLayerForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如：青浦区行政区划（2024年版）"))
    approval = forms.CharField(
        label=_("审图号或使用许可"),
        max_length=200,
        help_text=_("只能上传经批准或许可使用的地图；本系统不附带任何地图数据。"),
    )
    file = forms.FileField(
        label=_("GeoJSON 文件"), help_text=_("行政区划或园区边界的 .geojson / .json，经纬度坐标。")
    )


def map_layers(request: HttpRequest) -> HttpResponse:
    """The office's map layers (底图) for 挂图作战: upload one (it replaces the one in use), withdraw it."""
    from bioplan.enterprises.views import district_for

    user: Any = request.user
    district = district_for(request)
    may_upload = getattr(user, "is_office_admin", False) and not user.is_read_only
    form = MapLayerForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("只有产业办公室可以上传底图。"))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                layer = services.map_layer_upload(
                    region=district,
                    name=form.cleaned_data["name"],
                    approval=form.cleaned_data["approval"],
                    data=upload.read(),
                    user=user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("底图“%(name)s”已启用。") % {"name": layer.name})
                return redirect("parks:map_layers")
    layers = MapLayer.objects.visible_to(user).select_related("region", "uploaded_by").order_by("-created_at")
    return render(
        request,
        "parks/map_layers.html",
        {"layers": layers, "form": form, "may_upload": may_upload, "district": district},
    )


@require_POST
def map_layer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    layer = get_object_or_404(MapLayer.objects.visible_to(request.user), pk=pk)
    if not getattr(request.user, "is_office_admin", False):
        raise PermissionDenied(_("只有产业办公室可以停用底图。"))
    services.map_layer_deactivate(layer=layer, user=request.user)  # type: ignore[arg-type]
    messages.info(request, _("底图已停用，挂图作战改用示意图。"))
    return redirect("parks:map_layers")


# ------------------------------------------------------------------------------------ record forms
@dataclass(frozen=True)
class RecordKind:
    """One kind of row kept under a registered park, with its form and services."""

    model: Any
    form: Any
    fields: tuple[str, ...]
    create: Any
    update: Any
    delete: Any
    park_of: Any
    title_new: Any
    title_edit: Any


def _kinds() -> dict[str, RecordKind]:
    from bioplan.parks.forms import BuildingForm, ParcelForm, SpaceForm

    return {
        "parcel": RecordKind(
            LandParcel,
            ParcelForm,
            services.PARCEL_FIELDS,
            services.parcel_create,
            services.parcel_update,
            services.parcel_delete,
            lambda o: o.park,
            _("New land parcel"),
            _("Edit land parcel"),
        ),
        "building": RecordKind(
            Building,
            BuildingForm,
            services.BUILDING_FIELDS,
            services.building_create,
            services.building_update,
            services.building_delete,
            lambda o: o.park,
            _("New building"),
            _("Edit building"),
        ),
        "space": RecordKind(
            FloorSpace,
            SpaceForm,
            services.SPACE_FIELDS,
            services.space_create,
            services.space_update,
            services.space_delete,
            lambda o: o.building.park,
            _("New floor space"),
            _("Edit floor space"),
        ),
    }


def _kind(kind: str) -> RecordKind:
    found = _kinds().get(kind)
    if found is None:
        raise Http404
    return found


def _editable_park(request: HttpRequest, park: Park) -> Park:
    if not Park.objects.editable_by(request.user).filter(pk=park.pk).exists():
        raise PermissionDenied(_("You may read this park but not change its registry."))
    return park


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    from bioplan.web.forms import call_service, form_page

    spec = _kind(kind)
    park = _editable_park(request, get_object_or_404(selectors.parks_visible_to(request.user), pk=pk))
    form = spec.form(request.POST or None, park=park)
    if request.method == "POST" and form.is_valid():
        owner = {"building": form.cleaned_data.pop("building")} if kind == "space" else {"park": park}
        if call_service(form, spec.create, user=request.user, **owner, **form.cleaned_data) is not None:
            messages.success(request, _("Saved."))
            return redirect("parks:detail", pk=park.pk)
    return form_page(
        request,
        form,
        title=spec.title_new,
        pretitle=park.name,
        cancel_url=reverse("parks:detail", args=[park.pk]),
    )


def _record(request: HttpRequest, kind: str, pk: int) -> tuple[RecordKind, Any, Park]:
    spec = _kind(kind)
    visible = (
        spec.model.objects.visible_to(request.user)
        if hasattr(spec.model.objects, "visible_to")
        else (spec.model.objects.filter(park__in=selectors.parks_visible_to(request.user)))
    )
    row = get_object_or_404(visible, pk=pk)
    return spec, row, _editable_park(request, spec.park_of(row))


@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    from bioplan.web.forms import call_service, form_page

    spec, row, park = _record(request, kind, pk)
    form = spec.form(request.POST or None, instance=spec.model.objects.get(pk=pk), park=park)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in spec.fields}
        if call_service(form, spec.update, user=request.user, **{kind: row}, **changes) is not None:
            messages.success(request, _("Saved."))
            return redirect("parks:detail", pk=park.pk)
    return form_page(
        request,
        form,
        title=spec.title_edit,
        pretitle=park.name,
        cancel_url=reverse("parks:detail", args=[park.pk]),
        delete_url=reverse("parks:record_delete", args=[kind, pk]),
    )


@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    from bioplan.web.forms import DeleteForm, call_service, delete_page

    spec, row, park = _record(request, kind, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if call_service(form, spec.delete, user=request.user, reason=reason, **{kind: row}) is not None:
            messages.success(request, _("Deleted."))
            return redirect("parks:detail", pk=park.pk)
    return delete_page(
        request,
        form,
        obj=row,
        title=_("Delete"),
        pretitle=park.name,
        cancel_url=reverse("parks:detail", args=[park.pk]),
    )


@require_http_methods(["GET", "POST"])
def park_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A registered park's type, area, planned land, operator (the office only) and coordinates."""
    from bioplan.parks.forms import ParkForm
    from bioplan.web.forms import call_service, form_page

    park = _editable_park(request, get_object_or_404(selectors.parks_visible_to(request.user), pk=pk))
    user: Any = request.user
    form = ParkForm(request.POST or None, instance=Park.objects.get(pk=pk), office=user.is_office_admin)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.PARK_FIELDS}
        if call_service(form, services.park_update, park=park, user=user, **changes) is not None:
            messages.success(request, _("Saved."))
            return redirect("parks:detail", pk=pk)
    return form_page(
        request,
        form,
        title=park.name,
        pretitle=park.district.name,
        cancel_url=reverse("parks:detail", args=[pk]),
    )
