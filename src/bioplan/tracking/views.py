"""Tracking pages: dashboard (大屏), reporting cycles, progress reports, figures and conflicts.

Thin: parse the request, check the permission, call one service or selector, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bioplan.core import validation
from bioplan.core.concurrency import EditConflict
from bioplan.core.models import Region
from bioplan.core.validation import parse_id
from bioplan.plans.models import Plan, Task
from bioplan.tracking import selectors, services
from bioplan.tracking.forms import (
    CycleDeadlineForm,
    CycleOpenForm,
    IndicatorEditForm,
    IndicatorForm,
    ObservationForm,
    ReportForm,
    ReviewForm,
)
from bioplan.tracking.models import Indicator, Observation, ProgressReport, ReportingCycle


def _user(request: HttpRequest) -> Any:
    return request.user


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _rebound_after_conflict(form: Any, exc: EditConflict) -> Any:
    """The same form with the user's input kept, its version moved on to the stored one (saving
    again then knowingly replaces the other user's change), and the conflict as its error."""
    data = form.data.copy()
    data["version"] = str(exc.current_version)
    rebound = type(form)(data, auto_id=form.auto_id)
    rebound.is_valid()
    rebound.add_error(None, exc.sentence())
    return rebound


# ------------------------------------------------------------------------------ dashboard
def dashboard(request: HttpRequest) -> HttpResponse:
    """Targets with status, trends, task status by department and late reports; ?plan=ID for one plan,
    ?region=ID for a district, ?as_of=2024Q2 for an earlier period, ?bigscreen=1 for the projector."""
    user = _user(request)
    plan = None
    if (plan_id := parse_id(request.GET.get("plan"))) is not None:
        plan = get_object_or_404(Plan.objects.visible_to(user).select_related("region"), pk=plan_id)
    region = None
    if (region_id := parse_id(request.GET.get("region"))) is not None:
        region = get_object_or_404(selectors.regions_visible_to(user), pk=region_id)
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = validation.parse_period(request.GET["as_of"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    # The body depends only on the plans shown, the period and the data; it is cached under a key that
    # changes with any write to their districts (selectors.district_versions), so the 大屏 refreshing
    # costs a few queries; after a write only the districts written to are computed again.
    ended = request.GET.get("ended") == "1"
    plans = selectors.plans_for_dashboard(user=user, plan=plan, region=region, ended=ended)
    versions = selectors.district_versions(p.region_id for p in plans)
    bigscreen = request.GET.get("bigscreen") == "1"
    key = selectors.dashboard_cache_key(
        plans=plans,
        as_of=as_of,
        versions=versions,
        extra=f"{get_language()}|{plan is not None}|{bigscreen}|{selectors.dashboard_report_scope(user)}|{ended}",
    )
    cached = cache.get(key)
    if cached is None:
        data = selectors.dashboard(
            user=user, plan=plan, region=region, as_of=as_of, versions=versions, ended=ended
        )
        final = None
        # 已到期: the 终期评估 instead of status and forecasts — unless asked about a quarter inside
        # the plan's life, which shows the targets as of then (the same actuals as that quarter's 通报).
        asked_inside = (
            as_of is not None and plan is not None and (as_of[0], as_of[1] or 4) < (plan.period_end or 0, 4)
        )
        if plan is not None and plan.is_ended and not asked_inside:
            from bioplan.tracking.final import final_evaluation

            final = {"final": final_evaluation(plan=plan)}
        body = render_to_string(
            "tracking/_bigscreen_body.html" if bigscreen else "tracking/_dashboard_body.html",
            {"dash": data, "plan": plan, "as_of": as_of, "final": final},
            request=request,
        )
        cached = (body, data.simulated)
        cache.set(key, cached, timeout=600)
    body, simulated = cached
    return render(
        request,
        "tracking/dashboard.html",
        {
            "body": body,
            "simulated": simulated,
            "plan": plan,
            "region": region,
            "bigscreen": bigscreen,
            "ended": ended,
        },
    )


# ------------------------------------------------------------------------------ cycles
@require_http_methods(["GET", "POST"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST":
        if not user.is_office_admin or user.region is None:
            raise PermissionDenied(_("只有产业办公室可以开启季度报送。"))
        if form.is_valid():
            try:
                cycle = services.cycle_open(region=user.region, user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已开启%(label)s报送。") % {"label": cycle.label})
                return redirect("tracking:cycle_detail", pk=cycle.pk)
    cycles = (
        ReportingCycle.objects.visible_to(user)
        .select_related("region")
        .order_by("-year", "-quarter", "region__name")
    )
    page = Paginator(cycles, 50).get_page(request.GET.get("page"))
    return render(request, "tracking/cycle_list.html", {"page": page, "form": form})


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison's task list for the quarter, or for the office the 催办 list and reports to review."""
    user = _user(request)
    cycle = get_object_or_404(ReportingCycle.objects.visible_to(user).select_related("region"), pk=pk)
    context: dict[str, Any] = {"cycle": cycle, "today": timezone.localdate()}
    if user.department_id and not user.is_office_admin:
        context["rows"] = selectors.liaison_tasks(user=user, cycle=cycle)
    else:
        context["chase"] = selectors.chase_list(cycle=cycle)
        context["to_review"] = selectors.reports_to_review(user=user).filter(cycle=cycle)
        context["reports"] = (
            ProgressReport.objects.visible_to(user)
            .filter(cycle=cycle)
            .select_related("task", "department")
            .order_by("task__position", "department__name")
        )
    return render(request, "tracking/cycle_detail.html", context)


def _office_cycle(request: HttpRequest, pk: int) -> ReportingCycle:
    """A cycle of the user's region, for its office only (others: 403; out of reach: 404)."""
    user = _user(request)
    cycle = get_object_or_404(ReportingCycle.objects.visible_to(user).select_related("region"), pk=pk)
    if not user.is_office_admin:
        raise PermissionDenied(_("只有产业办公室可以执行此操作。"))
    return cycle


@require_http_methods(["GET", "POST"])
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: who will be reminded of what (the confirm page); POST: create the reminders, queue e-mails."""
    cycle = _office_cycle(request, pk)
    if request.method == "GET":
        planned = [p for p in selectors.reminder_plan(cycle=cycle) if p.count]
        return render(request, "tracking/cycle_remind.html", {"cycle": cycle, "planned": planned})
    try:
        reminders = services.reminders_queue(cycle=cycle, user=_user(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已生成%(n)d条催办提醒。") % {"n": len(reminders)})
    return redirect("tracking:cycle_detail", pk=cycle.pk)


@require_POST
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The office moves the deadline of an open cycle."""
    cycle = _office_cycle(request, pk)
    form = CycleDeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的截止日期。"))
        return redirect("tracking:cycle_detail", pk=cycle.pk)
    try:
        services.cycle_update(cycle=cycle, deadline=form.cleaned_data["deadline"], user=_user(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("截止日期已改为%(d)s。") % {"d": cycle.deadline.isoformat()})
    return redirect("tracking:cycle_detail", pk=cycle.pk)


@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The office closes a cycle: read-only from then on, late marks kept."""
    cycle = _office_cycle(request, pk)
    try:
        services.cycle_close(cycle=cycle, user=_user(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(label)s报送已关闭。") % {"label": cycle.label})
    return redirect("tracking:cycle_detail", pk=cycle.pk)


# ------------------------------------------------------------------------------ reports
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    """The liaison fills in (and submits) its department's report on one task."""
    user = _user(request)
    cycle = get_object_or_404(ReportingCycle.objects.visible_to(user), pk=pk)
    task = get_object_or_404(
        Task.objects.filter(plan__region_id=cycle.region_id).select_related("plan"),
        pk=task_id,
        assignments__department_id=user.department_id,
    )
    report = ProgressReport.objects.filter(cycle=cycle, task=task, department_id=user.department_id).first()
    initial: dict[str, Any] = {"version": 0}
    if report is not None:
        initial = {
            f: getattr(report, f)
            for f in ("progress", "percent_done", "done_text", "next_steps", "problems", "version")
        }
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment", None)
        expected_version = data.pop("version")
        try:
            report = services.report_save(
                cycle=cycle, task=task, user=user, expected_version=expected_version, **data
            )
            if upload:
                services.attachment_add(report=report, user=user, file=upload)
            if "submit" in request.POST:
                services.report_submit(report=report, user=user, expected_version=report.version)
                messages.success(request, _("已提交。"))
            else:
                messages.success(request, _("已保存草稿。"))
        except EditConflict as exc:
            conflict = exc
            report = ProgressReport.objects.filter(pk=exc.instance.pk).first()
            form = _rebound_after_conflict(form, exc)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("tracking:cycle_detail", pk=cycle.pk)
    return render(
        request,
        "tracking/report_edit.html",
        {"form": form, "cycle": cycle, "task": task, "report": report, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = get_object_or_404(
        ProgressReport.objects.visible_to(user).select_related(
            "cycle", "task__plan", "department", "submitted_by"
        ),
        pk=pk,
    )
    form = ReviewForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        review = services.report_accept if form.cleaned_data["action"] == "accept" else services.report_return
        try:
            review(
                report=report,
                user=user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as exc:
            form = _rebound_after_conflict(form, exc)  # the page below shows the report as now stored
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("tracking:cycle_detail", pk=report.cycle_id)
    history = report.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "tracking/report_detail.html",
        {"report": report, "form": form, "history": history, "attachments": report.attachments.all()},
    )


def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An attachment of a report, for whoever may read the report (files are never served directly)."""
    report = get_object_or_404(ProgressReport.objects.visible_to(_user(request)), pk=pk)
    attachment = get_object_or_404(report.attachments, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# ------------------------------------------------------------------------------ figures
@require_http_methods(["GET", "POST"])
def observation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ObservationForm(request.POST or None)
    if request.method == "POST" and user.is_read_only:
        raise PermissionDenied(_("只读用户不能录入数据。"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        region = selectors.regions_visible_to(user).filter(name=d["scope"]).first()
        if region is None:
            form.add_error("scope", _("未找到该范围。"))
        else:
            try:
                services.observation_record(
                    indicator=d["indicator"],
                    region=region,
                    year=d["year"],
                    quarter=d["quarter"],
                    month=d["month"],
                    value=d["value"],
                    source=d["source"],
                    note=d["note"],
                    user=user,
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已录入。"))
                return redirect("tracking:observation_list")
    observations = (
        Observation.objects.current_revisions()
        .visible_to(user)
        .select_related("indicator", "region", "entered_by")
        .order_by("indicator__name", "region__name", "-year", "-quarter", "source")
    )
    if (indicator_id := parse_id(request.GET.get("indicator"))) is not None:
        observations = observations.filter(indicator_id=indicator_id)
    page = Paginator(observations, 100).get_page(request.GET.get("page"))
    return render(request, "tracking/observation_list.html", {"page": page, "form": form})


def observation_history(request: HttpRequest, pk: int) -> HttpResponse:
    obs = get_object_or_404(
        Observation.objects.visible_to(_user(request)).select_related("indicator", "region"), pk=pk
    )
    return render(
        request,
        "tracking/observation_history.html",
        {"observation": obs, "revisions": selectors.observation_history(observation=obs)},
    )


@require_http_methods(["GET", "POST"])
def conflict_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        obs = get_object_or_404(Observation.objects.visible_to(user), pk=request.POST.get("observation"))
        services.observation_choose(observation=obs, user=user)
        messages.success(request, _("已选定采用的数据。"))
        return redirect("tracking:conflict_list")
    return render(request, "tracking/conflict_list.html", {"conflicts": selectors.conflicts(user=user)})


# ------------------------------------------------------------------------------ panels
def reminders_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Start-page panel: the user's open 催办 reminders (always listed, e-mail or not)."""
    if not request.user.is_authenticated:
        return None
    reminders = list(selectors.reminders_for(user=_user(request))[:10])
    if not reminders:
        return None
    from django.urls import reverse

    return {
        "title": _("催办提醒"),
        "items": [
            {
                "label": r.message,
                "url": reverse("tracking:cycle_detail", args=[r.cycle_id]),
                "note": r.created_at.astimezone(dt.UTC).date().isoformat(),
            }
            for r in reminders
        ],
    }


def consistency_panel(plan: Plan) -> tuple[str, dict[str, Any]] | None:
    """Plan-page panel: the consistency findings with their arithmetic."""
    findings = selectors.plan_findings_stored(plan=plan)
    return "tracking/panels/consistency.html", {"findings": findings, "plan": plan}


def final_evaluation_panel(plan: Plan) -> tuple[str, dict[str, Any]] | None:
    """Plan-page panel of a plan past its end year (已到期): the 终期评估."""
    if not plan.is_ended:
        return None
    from bioplan.tracking.final import final_evaluation

    return "tracking/panels/final_evaluation.html", {"final": final_evaluation(plan=plan)}


# ------------------------------------------------------------------------------ bindings
@require_http_methods(["GET", "POST"])
def binding_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The office links each target of a plan to an indicator and scope and sets its expected path."""
    from bioplan.tracking.forms import BindingForm

    user = _user(request)
    plan = get_object_or_404(Plan.objects.visible_to(user).select_related("region"), pk=pk)
    targets = list(plan.targets.select_related("binding__indicator", "binding__region").order_by("position"))
    bad: BindingForm | None = None
    if request.method == "POST":
        if not Plan.objects.editable_by(user).filter(pk=plan.pk).exists():
            raise PermissionDenied(_("只有本区产业办公室可以设置指标关联。"))
        form = BindingForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            target = get_object_or_404(plan.targets, pk=d["target"])
            region = Region.objects.filter(
                Q(pk=plan.region_id) | Q(parent_id=plan.region_id), name=d["scope"]
            ).first()
            if region is None:
                form.add_error("scope", _("未找到该范围。"))
            else:
                try:
                    services.target_bind(
                        target=target,
                        indicator=d["indicator"],
                        region=region,
                        path=d["path"] or "",
                        custom_path=d["custom_path"],
                        baseline_value=d["baseline_value"],
                        baseline_year=d["baseline_year"],
                        user=user,
                        expected_version=d["version"],
                    )
                except EditConflict as exc:
                    form = _rebound_after_conflict(form, exc)
                    targets = list(
                        plan.targets.select_related("binding__indicator", "binding__region").order_by(
                            "position"
                        )
                    )  # show the binding as the other user left it
                else:
                    messages.success(request, _("已保存。"))
                    return redirect("tracking:binding_list", pk=plan.pk)
        bad = form
    rows = []
    for t in targets:
        binding = getattr(t, "binding", None)
        if bad is not None and str(t.pk) == str(bad.data.get("target")):
            form = bad
        else:
            initial = {"target": t.pk, "scope": t.scope or plan.region.name, "version": 0}
            if binding is not None:
                initial.update(
                    {
                        "indicator": binding.indicator_id,
                        "scope": binding.region.name,
                        "path": binding.path,
                        "custom_path": ", ".join(f"{k}={v}" for k, v in binding.custom_path.items()),
                        "baseline_value": binding.baseline_value,
                        "baseline_year": binding.baseline_year,
                        "version": binding.version,
                    }
                )
            form = BindingForm(initial=initial, auto_id=f"id_{t.pk}_%s")
        rows.append((t, binding, form))
    return render(request, "tracking/binding_list.html", {"plan": plan, "rows": rows})


# ------------------------------------------------------------------------------ indicators
@require_http_methods(["GET", "POST"])
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue (指标目录): every indicator with its unit, how it combines periods and
    how many targets and figures use it; the office adds indicators here."""
    user = _user(request)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        if not user.is_office_admin:
            raise PermissionDenied(_("只有产业办公室可以新增指标。"))
        if form.is_valid():
            try:
                indicator = services.indicator_create(user=user, **form.cleaned_data)
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("已新增指标“%(name)s”。") % {"name": indicator})
                return redirect("tracking:indicator_list")
    page = Paginator(selectors.indicator_catalogue(user=user), 100).get_page(request.GET.get("page"))
    return render(request, "tracking/indicator_list.html", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    if not user.is_office_admin:
        raise PermissionDenied(_("只有产业办公室可以修改指标。"))
    form = IndicatorEditForm(
        request.POST or None,
        initial={"aggregation": indicator.aggregation, "description": indicator.description},
    )
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, user=user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("tracking:indicator_list")
    return render(request, "tracking/indicator_edit.html", {"indicator": indicator, "form": form})
