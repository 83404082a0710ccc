"""Downloads (.docx quarterly report, .xlsx tables) and spreadsheet imports with row-level errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bioplan.core.validation import parse_period
from bioplan.plans import selectors as plan_selectors
from bioplan.reports import spreadsheets
from bioplan.reports.final_docx import build_final_docx
from bioplan.reports.quarterly_docx import build_quarterly_docx
from bioplan.reports.selectors import default_report_quarter, quarterly_report, report_quarters
from bioplan.tracking.models import Observation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _plans(request: HttpRequest) -> Any:
    return plan_selectors.plans_visible_to(request.user).select_related("region")


def _chosen_quarter(request: HttpRequest, *, region: Any = None) -> tuple[int, int]:
    """?quarter=2024Q3 when valid, else the latest quarter with a reporting cycle."""
    try:
        year, quarter = parse_period(request.GET.get("quarter", ""))
    except ValidationError:  # absent or malformed (?quarter=0Q1): the current quarter
        year, quarter = 0, 0
    if 2000 <= year <= 2100 and 1 <= quarter <= 4:
        return year, quarter
    return default_report_quarter(user=request.user, region=region)


def index(request: HttpRequest) -> HttpResponse:
    plans = _plans(request).current().order_by("region__name", "title")
    year, quarter = _chosen_quarter(request)
    quarters = report_quarters(user=request.user)
    if (year, quarter) not in quarters:
        quarters = sorted([*quarters, (year, quarter)], reverse=True)
    choices = [
        (f"{y}Q{q}", _("%(year)s年第%(quarter)s季度") % {"year": y, "quarter": q}) for y, q in quarters
    ]
    return render(
        request,
        "reports/index.html",
        {"plans": plans, "quarter": f"{year}Q{quarter}", "quarters": choices, "upload": UploadForm()},
    )


def quarterly_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    year, quarter = _chosen_quarter(request, region=plan.region)
    report = quarterly_report(plan=plan, year=year, quarter=quarter, user=request.user)
    return _download(
        build_quarterly_docx(report), f"{plan.region.name}{year}年第{quarter}季度通报.docx", DOCX
    )


def final_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 终期评估报告 of a plan past its end year (a running plan has none: 404)."""
    from bioplan.tracking.final import final_evaluation

    plan = get_object_or_404(_plans(request).ended(), pk=pk)
    return _download(build_final_docx(final_evaluation(plan=plan)), f"{plan.title}终期评估报告.docx", DOCX)


def targets_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    return _download(spreadsheets.export_targets_xlsx(plan=plan), f"{plan.region.name}目标表.xlsx", XLSX)


@require_http_methods(["GET", "POST"])
def tasks_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request), pk=pk)
    if request.method == "GET":
        return _download(
            spreadsheets.export_tasks_xlsx(plan=plan), f"{plan.region.name}任务分解表.xlsx", XLSX
        )
    if not plan_selectors.plans_editable_by(request.user).filter(pk=plan.pk).exists():
        raise PermissionDenied(_("只有本区产业办公室可以导入任务分解表。"))
    return _import(request, lambda f: spreadsheets.import_tasks_xlsx(plan=plan, file=f, user=request.user))  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def observations_xlsx(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "GET":
        observations = (
            Observation.objects.current_revisions()
            .visible_to(user)
            .filter(month=0)
            .select_related("indicator", "region")
            .order_by("indicator__name", "region__name", "year", "quarter")
        )
        return _download(
            spreadsheets.export_observations_xlsx(observations=observations), "指标数据.xlsx", XLSX
        )
    if user.region is None or not (user.is_office_admin or user.department_id):
        raise PermissionDenied(_("只读用户不能导入数据。"))
    return _import(
        request, lambda f: spreadsheets.import_observations_xlsx(file=f, user=user, region=user.region)
    )


def _import(request: HttpRequest, run: Any) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    errors: list[spreadsheets.RowProblem] = []
    if form.is_valid():
        try:
            summary = run(form.cleaned_data["file"])
        except spreadsheets.SheetInvalid as exc:
            errors = exc.errors
        except PermissionDenied:
            raise
        else:
            messages.success(
                request,
                _("导入完成：新增%(c)d行，更新%(u)d行，未变%(n)d行。")
                % {"c": summary.created, "u": summary.updated, "n": summary.unchanged},
            )
            return redirect("reports:index")
    return render(request, "reports/import_errors.html", {"errors": errors, "form": form}, status=400)
