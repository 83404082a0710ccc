"""Enterprise registry pages: list with filters, enterprise page, cultivation pool, derived
indicators, and the spreadsheet import/export pages shared by every registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.enterprises import selectors, services
from bioplan.enterprises.choices import CultivationTier, FigureSource, HonourKind, ListingBoard, Segment
from bioplan.enterprises.models import Enterprise, ImportJob
from bioplan.enterprises.workbook import export_workbook, registered_sheets, sheet_spec

PAGE_SIZE = 50


def _flag(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


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
    filters = selectors.EnterpriseFilter(
        q=request.GET.get("q", "").strip()[:60],
        segment=request.GET.get("segment", "") if request.GET.get("segment") in Segment.values else "",
        park=_int(request.GET.get("park")),
        honour=request.GET.get("honour", "") if request.GET.get("honour") in HonourKind.values else "",
        above_scale=_flag(request.GET.get("above_scale")),
        tier=request.GET.get("tier", "") if request.GET.get("tier") in CultivationTier.values else "",
        simulated=_flag(request.GET.get("simulated")),
    )
    qs = selectors.enterprise_list(user=request.user, filters=filters)
    # Paginate over the ids only (an index-only scan even deep in the list), then fetch the page's rows.
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    enterprises = list(
        selectors.with_current_honours(Enterprise.objects.filter(pk__in=list(page)))
        .select_related("park", "cultivation")
        .order_by("name", "pk")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "page": page,
            "enterprises": enterprises,
            "filters": filters,
            "query": query.urlencode(),
            "segments": Segment.choices,
            "honours": HonourKind.choices,
            "tiers": CultivationTier.choices,
            "parks": selectors.park_choices(user=request.user),
        },
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
            "this_year": dt.date.today().year,
        },
    )


def cultivation_pool(request: HttpRequest) -> HttpResponse:
    tier = request.GET.get("tier", "") if request.GET.get("tier") in CultivationTier.values else ""
    rows = selectors.cultivation_pool(user=request.user, tier=tier)
    return render(
        request,
        "enterprises/cultivation_pool.html",
        {"rows": rows, "tier": tier, "tiers": CultivationTier.choices},
    )


def derived_list(request: HttpRequest) -> HttpResponse:
    year = _int(request.GET.get("year")) or dt.date.today().year
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
    filename = f"{district.name}-{spec.title}-{dt.date.today():%Y%m%d}.xlsx"
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
    jobs = ImportJob.objects.visible_to(user).select_related("region")[:10]
    return render(
        request,
        "enterprises/import_start.html",
        {"sheets": sheets, "district": district, "error": error, "jobs": jobs},
    )


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    template = (
        "enterprises/_import_progress.html"
        if getattr(request, "htmx", False)
        else "enterprises/import_status.html"
    )
    return render(request, template, {"job": job, "running": job.state in ("queued", "running")})


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
            valid_from=_date(request.POST.get("valid_from")) or dt.date.today(),
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
