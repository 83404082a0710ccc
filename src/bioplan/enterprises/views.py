"""Enterprise registry pages: list with filters, enterprise page, cultivation pool, derived
indicators, and the spreadsheet import/export pages shared by every registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.core.validation import parse_id, parse_year
from bioplan.enterprises import selectors, services
from bioplan.enterprises.choices import CultivationTier, FigureSource, HonourKind, ListingBoard, Segment
from bioplan.enterprises.filters import EnterpriseFilterSet, PoolFilterSet
from bioplan.enterprises.models import Enterprise, ImportJob
from bioplan.sheets import export_workbook, registered_sheets, sheet_spec
from bioplan.web.lists import list_page, wants_export, xlsx_response


def _int(value: str | None) -> int | None:
    return parse_id(value)


def district_for(request: HttpRequest) -> Region:
    """The district a registry page works on: the user's own, or ?district= for city-wide users."""
    user: Any = request.user
    region = getattr(user, "region", None)
    if region is not None and region.level == RegionLevel.DISTRICT:
        return region
    if region is not None and region.level == RegionLevel.PARK and region.parent is not None:
        return region.parent
    chosen = _int(request.GET.get("district") or request.POST.get("district"))
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    if region is not None and not user.is_superuser:
        districts = districts.filter(parent=region)
    found = districts.filter(pk=chosen).first() if chosen else districts.order_by("name").first()
    if found is None:
        raise Http404(_("No district to work on."))
    return found


def enterprise_list(request: HttpRequest) -> HttpResponse:
    filterset = EnterpriseFilterSet(request.GET, queryset=selectors.enterprise_list(user=request.user))
    if wants_export(request):
        return _enterprise_export(filterset.qs)
    # Paginate over the ids only (an index-only scan even deep in the list), then fetch the page's rows.
    listing = list_page(request, filterset.qs.values_list("pk", flat=True))
    ids = list(listing.page)
    by_id = {
        e.pk: e
        for e in selectors.with_current_honours(Enterprise.objects.filter(pk__in=ids)).select_related(
            "park", "cultivation"
        )
    }
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "listing": listing,
            "enterprises": [by_id[pk] for pk in ids if pk in by_id],
            "filters": filterset.form.cleaned_data if filterset.form.is_valid() else {},
            "segments": Segment.choices,
            "honours": HonourKind.choices,
            "tiers": CultivationTier.choices,
            "parks": selectors.park_choices(user=request.user),
        },
    )


def _enterprise_export(enterprises: QuerySet[Enterprise]) -> HttpResponse:
    rows = (
        (
            e.name,
            e.credit_code,
            e.park.name if e.park else "—",
            e.get_segment_display(),
            _("Yes") if e.is_above_scale else _("No"),
            "、".join(h.get_kind_display() for h in getattr(e, "current_honours", ())),
            e.cultivation.get_tier_display() if getattr(e, "cultivation", None) else "—",
            _("Simulated data") if e.simulated else "",
        )
        for e in selectors.with_current_honours(enterprises)
    )
    headers = [
        _("Name"),
        _("Credit code"),
        _("Park"),
        _("Segment"),
        _("规上"),
        _("Honours held"),
        _("Tier"),
        _("Note"),
    ]
    return xlsx_response(
        filename=_("enterprises.xlsx"), title=_("Enterprise registry"), headers=headers, rows=rows
    )


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related("district", "park"), pk=pk
    )
    page = selectors.enterprise_page(enterprise=enterprise)
    can_edit = Enterprise.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "page": page,
            "e": enterprise,
            "can_edit": can_edit,
            "honour_kinds": HonourKind.choices,
            "boards": [b for b in ListingBoard.choices if b[0]],
            "sources": FigureSource.choices,
            "this_year": timezone.localdate().year,
        },
    )


def cultivation_pool(request: HttpRequest) -> HttpResponse:
    filterset = PoolFilterSet(request.GET, queryset=selectors.pool_entries(user=request.user))
    if wants_export(request):
        return _pool_export(selectors.pool_rows(filterset.qs))
    listing = list_page(request, filterset.qs)
    return render(
        request,
        "enterprises/cultivation_pool.html",
        {
            "listing": listing,
            "rows": selectors.pool_rows(listing.page.object_list),
            "tier": request.GET.get("tier", "") if request.GET.get("tier") in CultivationTier.values else "",
            "tiers": CultivationTier.choices,
            "q": request.GET.get("q", ""),
        },
    )


def _pool_export(rows: list[selectors.PoolRow]) -> HttpResponse:
    def criteria(row: selectors.PoolRow) -> str:
        if not row.gap.next_tier:
            return _("Top of the path.")
        return "；".join(f"{'✓' if r.met else '✗'} {r.label} {r.detail}".strip() for r in row.gap.results)

    table = (
        (
            row.entry.enterprise.name,
            row.entry.enterprise.park.name if row.entry.enterprise.park else "—",
            row.entry.get_tier_display(),
            row.entry.entered_on,
            str(row.gap.next_tier_label or "—") + (f"（{_('ready')}）" if row.gap.ready else ""),
            criteria(row),
        )
        for row in rows
    )
    headers = [
        _("Enterprise"),
        _("Park"),
        _("Tier"),
        _("Entered on"),
        _("Next tier"),
        _("Criteria for the next tier"),
    ]
    return xlsx_response(
        filename=_("cultivation-pool.xlsx"), title=_("Cultivation pool"), headers=headers, rows=table
    )


def derived_list(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year")) or timezone.localdate().year
    rules = list(selectors.derived_rules_visible_to(request.user))
    rows = [(rule, selectors.derived_value(rule=rule, year=year)) for rule in rules]
    return render(request, "enterprises/derived_list.html", {"rows": rows, "year": year})


# ------------------------------------------------------------------------------ import / export
def sheet_export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in registered_sheets():
        raise Http404
    spec = sheet_spec(kind)
    district = district_for(request)
    content = export_workbook(spec, user=request.user, region=district)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{district.name}-{spec.title}-{timezone.localdate():%Y%m%d}.xlsx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_read_only:
        raise PermissionDenied(_("Read-only users do not import registries."))
    district = district_for(request)
    sheets = [(k, s.title) for k, s in registered_sheets().items()]
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("sheet_kind", "")
        if upload is None or not (upload.name or "").lower().endswith((".xlsx", ".xlsm", ".xls")):
            error = _("Choose an Excel file (.xlsx).")
        else:
            try:
                job = services.import_job_create(sheet_kind=kind, upload=upload, region=district, user=user)
            except ValidationError as exc:
                error = "; ".join(exc.messages)
            else:
                return redirect("enterprises:import_status", pk=job.pk)
    services.import_jobs_reap()
    jobs = ImportJob.objects.visible_to(user).select_related("region")[:10]
    return render(
        request,
        "enterprises/import_start.html",
        {"sheets": sheets, "district": district, "error": error, "jobs": jobs},
    )


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    services.import_jobs_reap()  # a job whose worker died is marked failed, so polling stops
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    template = (
        "enterprises/_import_progress.html"
        if getattr(request, "htmx", False)
        else "enterprises/import_status.html"
    )
    return render(
        request,
        template,
        {
            "job": job,
            "running": job.state in ("queued", "running"),
            "can_retry": job.state == "error" and not getattr(request.user, "is_read_only", True),
        },
    )


@require_http_methods(["POST"])
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue an interrupted import again (same file); the page polls it again."""
    from django.contrib import messages

    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    try:
        services.import_job_retry(job=job, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:  # PermissionDenied is left to Django: 403
        messages.error(request, "；".join(exc.messages))
    return redirect("enterprises:import_status", pk=job.pk)


# --------------------------------------------------------------------------------- plan panel
def plan_derived_panel(plan: Any) -> tuple[str, dict[str, Any]] | None:
    rows = selectors.plan_derived_rows(plan=plan)
    if not rows:
        return None
    return "enterprises/_plan_derived_panel.html", {"derived_rows": rows}


def register_panels() -> None:
    from bioplan.plans.selectors import register_plan_panel

    register_plan_panel(plan_derived_panel)


# ------------------------------------------------------------------------------------ small edits
def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Any:
    from decimal import Decimal, InvalidOperation

    if not value:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None


@require_http_methods(["POST"])
def honour_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an honour from the enterprise page (office of the district, or the park's operator)."""
    from django.contrib import messages

    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    try:
        services.honour_grant(
            enterprise=enterprise,
            kind=request.POST.get("kind", ""),
            valid_from=_date(request.POST.get("valid_from")) or timezone.localdate(),
            valid_until=_date(request.POST.get("valid_until")),
            certificate_no=request.POST.get("certificate_no", "").strip()[:60],
            board=request.POST.get("board", ""),
            stock_code=request.POST.get("stock_code", "").strip()[:12],
            user=request.user,  # type: ignore[arg-type]
        )
    except ValueError:
        messages.error(request, _("Dates are written as YYYY-MM-DD."))
    except ValidationError as exc:  # PermissionDenied is left to Django: 403
        messages.error(request, "；".join(exc.messages))
    return redirect("enterprises:detail", pk=pk)


@require_http_methods(["POST"])
def figure_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or correct one period's figures (万元) from the enterprise page."""
    from django.contrib import messages

    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    try:
        services.figure_record(
            enterprise=enterprise,
            year=int(request.POST.get("year", "0")),
            quarter=int(request.POST.get("quarter") or 0),
            source=request.POST.get("source", ""),
            revenue=_decimal(request.POST.get("revenue")),
            industrial_output=_decimal(request.POST.get("industrial_output")),
            rd_expense=_decimal(request.POST.get("rd_expense")),
            tax=_decimal(request.POST.get("tax")),
            employees=int(request.POST["employees"]) if request.POST.get("employees") else None,
            user=request.user,  # type: ignore[arg-type]
        )
    except ValueError:
        messages.error(request, _("Figures must be numbers."))
    except ValidationError as exc:  # PermissionDenied is left to Django: 403
        messages.error(request, "；".join(exc.messages))
    return redirect("enterprises:detail", pk=pk)


# ------------------------------------------------------------------------------------ record forms
def _editable_enterprise(request: HttpRequest, pk: int) -> Enterprise:
    """The enterprise if the user may write it: 404 when out of reach, 403 when only readable."""
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related("district", "park"), pk=pk
    )
    if not Enterprise.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this enterprise but not change it."))
    return enterprise


def _form_parks(request: HttpRequest, district: Region) -> Any:
    """Parks of `district` the user may put an enterprise in (a park operator: the parks it runs)."""
    return Region.objects.filter(
        level=RegionLevel.PARK, parent=district, pk__in=selectors.park_choices(user=request.user).values("pk")
    ).order_by("name")


def _enterprise_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in services.ENTERPRISE_FIELDS if k in data}


@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    from bioplan.enterprises.forms import EnterpriseForm
    from bioplan.web.forms import call_service, form_page

    user: Any = request.user
    if not (user.is_superuser or user.role in ("office_admin", "park_operator")):
        raise PermissionDenied(_("Only the office and park operators register enterprises."))
    district = district_for(request)
    form = EnterpriseForm(request.POST or None, district=district, parks=_form_parks(request, district))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = call_service(
            form,
            services.enterprise_create,
            name=data["name"],
            credit_code=data["credit_code"],
            district=district,
            segment=data["segment"],
            park=data["park"],
            address=data["address"],
            other_segments=data["other_segments"],
            is_above_scale=data["is_above_scale"],
            founded_on=data["founded_on"],
            user=user,
        )
        if enterprise is not None:
            from django.contrib import messages

            messages.success(request, _("Enterprise registered."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return form_page(
        request,
        form,
        title=_("New enterprise"),
        pretitle=district.name,
        cancel_url=reverse("enterprises:list"),
    )


@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.enterprises.forms import EnterpriseForm
    from bioplan.web.forms import call_service, form_page

    enterprise = _editable_enterprise(request, pk)
    form = EnterpriseForm(
        request.POST or None,
        instance=Enterprise.objects.get(pk=pk),  # the form's copy; the service gets `enterprise`
        district=enterprise.district,
        parks=_form_parks(request, enterprise.district),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            services.enterprise_update,
            enterprise=enterprise,
            user=request.user,
            expected_version=data.get("version"),
            **_enterprise_fields(data),
        )
        if saved is not None:
            from django.contrib import messages

            messages.success(request, _("Enterprise saved."))
            return redirect("enterprises:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": enterprise.name},
        pretitle=enterprise.district.name,
        cancel_url=reverse("enterprises:detail", args=[pk]),
        delete_url=reverse("enterprises:delete", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def enterprise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.web.forms import DeleteForm, call_service, delete_page

    enterprise = _editable_enterprise(request, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.enterprise_delete,
            enterprise=enterprise,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            from django.contrib import messages

            messages.success(request, _("Enterprise deleted."))
            return redirect("enterprises:list")
    counts = selectors.enterprise_dependants(enterprise=enterprise)
    return delete_page(
        request,
        form,
        obj=enterprise,
        title=_("Delete enterprise"),
        pretitle=enterprise.district.name,
        cancel_url=reverse("enterprises:detail", args=[pk]),
        cascade=counts,
    )


def _saved(request: HttpRequest, enterprise: Enterprise, text: str) -> HttpResponse:
    from django.contrib import messages

    messages.success(request, text)
    return redirect("enterprises:detail", pk=enterprise.pk)


def _child_page(
    request: HttpRequest, form: Any, enterprise: Enterprise, title: str, delete_url: str = ""
) -> HttpResponse:
    from bioplan.web.forms import form_page

    return form_page(
        request,
        form,
        title=title,
        pretitle=enterprise.name,
        cancel_url=reverse("enterprises:detail", args=[enterprise.pk]),
        delete_url=delete_url,
    )


def _child_delete(
    request: HttpRequest, obj: Any, owner: Enterprise, service: Any, title: str, **kwargs: Any
) -> HttpResponse:
    from bioplan.web.forms import DeleteForm, call_service, delete_page

    form = DeleteForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            call_service(form, service, user=request.user, reason=form.cleaned_data["reason"], **kwargs)
            is not None
        )
    ):
        return _saved(request, owner, _("Deleted."))
    return delete_page(
        request,
        form,
        obj=obj,
        title=title,
        pretitle=owner.name,
        cancel_url=reverse("enterprises:detail", args=[owner.pk]),
    )


@require_http_methods(["GET", "POST"])
def honour_new(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.enterprises.forms import HonourForm
    from bioplan.web.forms import call_service

    enterprise = _editable_enterprise(request, pk)
    form = HonourForm(request.POST or None, enterprise=enterprise)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.honour_grant, enterprise=enterprise, user=request.user, **form.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Honour recorded."))
    return _child_page(request, form, enterprise, _("New honour"))


def _honour(request: HttpRequest, pk: int) -> Any:
    from bioplan.enterprises.models import Honour

    honour = get_object_or_404(
        Honour.objects.filter(enterprise__in=Enterprise.objects.visible_to(request.user)), pk=pk
    )
    return honour, _editable_enterprise(request, honour.enterprise_id)


@require_http_methods(["GET", "POST"])
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.enterprises.forms import HonourForm
    from bioplan.enterprises.models import Honour
    from bioplan.web.forms import call_service

    honour, enterprise = _honour(request, pk)
    form = HonourForm(request.POST or None, instance=Honour.objects.get(pk=pk), enterprise=enterprise)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.honour_update, honour=honour, user=request.user, **form.cleaned_data)
    ):
        return _saved(request, enterprise, _("Honour saved."))
    return _child_page(
        request, form, enterprise, _("Edit honour"), reverse("enterprises:honour_delete", args=[pk])
    )


@require_http_methods(["GET", "POST"])
def honour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    honour, enterprise = _honour(request, pk)
    return _child_delete(
        request, honour, enterprise, services.honour_delete, _("Delete honour"), honour=honour
    )


@require_http_methods(["GET", "POST"])
def figure_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _figure_form(request, _editable_enterprise(request, pk), None)


def _figure(request: HttpRequest, pk: int) -> Any:
    from bioplan.enterprises.models import EnterpriseFigure

    figure = get_object_or_404(
        EnterpriseFigure.objects.filter(enterprise__in=Enterprise.objects.visible_to(request.user)), pk=pk
    )
    return figure, _editable_enterprise(request, figure.enterprise_id)


@require_http_methods(["GET", "POST"])
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure, enterprise = _figure(request, pk)
    return _figure_form(request, enterprise, figure)


def _figure_form(request: HttpRequest, enterprise: Enterprise, figure: Any) -> HttpResponse:
    """New figures of a period, or a correction (a period entered twice is corrected, not doubled)."""
    from bioplan.enterprises.forms import FigureForm
    from bioplan.enterprises.models import EnterpriseFigure
    from bioplan.web.forms import call_service

    instance = EnterpriseFigure.objects.get(pk=figure.pk) if figure else None
    form = FigureForm(
        request.POST or None,
        instance=instance,
        enterprise=enterprise,
        initial={} if figure else {"year": timezone.localdate().year - 1, "quarter": 0},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.figure_record, enterprise=enterprise, user=request.user, **form.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Figures saved."))
    delete_url = reverse("enterprises:figure_delete", args=[figure.pk]) if figure else ""
    title = _("Correct figures") if figure else _("New figures")
    return _child_page(request, form, enterprise, title, delete_url)


@require_http_methods(["GET", "POST"])
def figure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    figure, enterprise = _figure(request, pk)
    return _child_delete(
        request, figure, enterprise, services.figure_delete, _("Delete figures"), figure=figure
    )


@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.enterprises.forms import ProductForm
    from bioplan.web.forms import call_service

    enterprise = _editable_enterprise(request, pk)
    form = ProductForm(request.POST or None, enterprise=enterprise)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.product_create, enterprise=enterprise, user=request.user, **form.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Product added."))
    return _child_page(request, form, enterprise, _("New product"))


def _product(request: HttpRequest, pk: int) -> Any:
    from bioplan.enterprises.models import Product

    product = get_object_or_404(
        Product.objects.filter(enterprise__in=Enterprise.objects.visible_to(request.user)), pk=pk
    )
    return product, _editable_enterprise(request, product.enterprise_id)


@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a product's details, or move it to its next phase (two forms on one page)."""
    from bioplan.enterprises.forms import ProductAdvanceForm, ProductForm
    from bioplan.enterprises.models import Product
    from bioplan.web.forms import call_service

    product, enterprise = _product(request, pk)
    advancing = request.POST.get("action") == "advance"
    data = request.POST or None
    form = ProductForm(
        None if advancing else data, instance=Product.objects.get(pk=pk), enterprise=enterprise
    )
    advance = ProductAdvanceForm(data if advancing else None, initial={"phase": product.phase})
    if (
        request.method == "POST"
        and not advancing
        and form.is_valid()
        and call_service(
            form, services.product_update, product=product, user=request.user, **form.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Product saved."))
    if (
        request.method == "POST"
        and advancing
        and advance.is_valid()
        and call_service(
            advance, services.product_advance, product=product, user=request.user, **advance.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Phase recorded."))
    return render(
        request,
        "enterprises/product_form.html",
        {
            "form": form,
            "advance": advance,
            "product": product,
            "e": enterprise,
            "milestones": product.milestones.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product, enterprise = _product(request, pk)
    return _child_delete(
        request, product, enterprise, services.product_delete, _("Delete product"), product=product
    )


@require_http_methods(["GET", "POST"])
def cultivation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the enterprise in the cultivation pool or move it to another tier, with the reason."""
    from bioplan.enterprises.forms import CultivationForm
    from bioplan.enterprises.models import CultivationEntry
    from bioplan.web.forms import call_service

    enterprise = _editable_enterprise(request, pk)
    entry = CultivationEntry.objects.filter(enterprise=enterprise).first()
    initial = (
        {"tier": entry.tier, "entered_on": entry.entered_on, "note": entry.note}
        if entry
        else {"entered_on": timezone.localdate()}
    )
    form = CultivationForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.cultivation_place, enterprise=enterprise, user=request.user, **form.cleaned_data
        )
    ):
        return _saved(request, enterprise, _("Cultivation pool updated."))
    delete_url = reverse("enterprises:cultivation_remove", args=[pk]) if entry else ""
    return _child_page(request, form, enterprise, _("Cultivation pool"), delete_url)


@require_http_methods(["GET", "POST"])
def cultivation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.enterprises.models import CultivationEntry

    enterprise = _editable_enterprise(request, pk)
    entry = get_object_or_404(CultivationEntry, enterprise=enterprise)
    return _child_delete(
        request,
        entry,
        enterprise,
        services.cultivation_remove,
        _("Remove from the cultivation pool"),
        enterprise=enterprise,
    )
