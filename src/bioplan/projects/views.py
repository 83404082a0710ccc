"""Key-project pages: the 清单式管理 list, a project's stages, and the 挂图作战 map and timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bioplan.core.models import Department
from bioplan.core.validation import parse_id
from bioplan.enterprises.services import user_may_edit_scope
from bioplan.projects import selectors, services
from bioplan.projects.choices import STAGE_ORDER, ProjectStage, WarningLevel
from bioplan.projects.models import Project
from bioplan.projects.stages import next_stage


def _int(value: str | None) -> int | None:
    return parse_id(value)


def _filters(request: HttpRequest) -> selectors.ProjectFilter:
    warning = request.GET.get("warning")
    return selectors.ProjectFilter(
        q=request.GET.get("q", "").strip()[:60],
        stage=request.GET.get("stage", "") if request.GET.get("stage") in [*STAGE_ORDER, "none"] else "",
        park=_int(request.GET.get("park")),
        department=_int(request.GET.get("department")),
        warning=(warning if warning != "none" else "")
        if warning in [*WarningLevel.values, "none"] and warning
        else None,
    )


def _choices(request: HttpRequest) -> dict[str, Any]:
    visible = Project.objects.visible_to(request.user)
    from bioplan.core.models import Region

    return {
        "stages": ProjectStage.choices,
        "warnings": [(w.value or "none", w.label) for w in WarningLevel],
        "parks": Region.objects.filter(pk__in=visible.values("park_id")).order_by("name"),
        "departments": Department.objects.filter(pk__in=visible.values("responsible_department_id")).order_by(
            "name"
        ),
    }


def project_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    qs = selectors.project_list(user=request.user, filters=filters)
    page = Paginator(qs.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    projects = list(
        selectors.with_milestones(Project.objects.filter(pk__in=list(page)))
        .select_related("park", "responsible_department")
        .order_by("-total_investment", "name", "pk")
    )
    rows = [(p, selectors.project_warnings(p, today)) for p in projects]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "counts": selectors.warning_counts(user=request.user, today=today),
            **_choices(request),
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "park", "responsible_department", "enterprise"
        ),
        pk=pk,
    )
    stages = selectors.project_stages(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "stages": stages,
            "warnings": selectors.project_warnings(project),
            "next_stage": next_stage(project.stage),
            "labels": dict(ProjectStage.choices),
            "can_edit": Project.objects.editable_by(request.user).filter(pk=pk).exists(),
            "can_register": user_may_edit_scope(request.user, district=project.district, park=project.park),  # type: ignore[arg-type]
            "gantt": selectors.gantt([project]),
            "today": timezone.localdate(),
        },
    )


@require_POST
def project_advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_change(request, pk, planned=False)


@require_POST
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_change(request, pk, planned=True)


def _stage_change(request: HttpRequest, pk: int, *, planned: bool) -> HttpResponse:
    """Record a stage reached (actual date) or re-plan a stage (planned date); errors become messages."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    stage = request.POST.get("stage", "")
    try:
        if planned:
            raw = request.POST.get("planned_on", "")
            services.project_plan_stage(
                project=project,
                stage=stage,
                planned_on=dt.date.fromisoformat(raw) if raw else None,
                user=request.user,  # type: ignore[arg-type]
            )
        else:
            services.project_advance(
                project=project,
                stage=stage,
                actual_on=dt.date.fromisoformat(request.POST.get("actual_on", "")),
                user=request.user,  # type: ignore[arg-type]
            )
    except ValueError:
        messages.error(request, _("Dates are written YYYY-MM-DD."))
    except ValidationError as exc:  # PermissionDenied is left to Django: 403
        messages.error(request, "；".join(exc.messages))
    return redirect("projects:detail", pk=pk)


def battle_map(request: HttpRequest) -> HttpResponse:
    """挂图作战: the parks schematic with every project, and the stage timeline of the filtered list."""
    from bioplan.parks.selectors import active_map_layer, parks_visible_to

    filters = _filters(request)
    projects = list(
        selectors.with_milestones(selectors.project_list(user=request.user, filters=filters))[:300]
    )
    parks = list(parks_visible_to(request.user).order_by("district__name", "name"))
    layer = active_map_layer(user=request.user)
    if layer is not None:
        map_option = selectors.battle_geo_map(layer=layer, projects=projects, parks=parks)
    else:
        map_option = selectors.battle_map(user=request.user, projects=projects, parks=parks)
    return render(
        request,
        "projects/battle_map.html",
        {
            "filters": filters,
            "layer": layer,
            "placed": map_option.pop("bpPlaced", None),
            "map_option": map_option,
            "gantt": selectors.gantt(projects[:80]),
            "total": len(projects),
            **_choices(request),
        },
    )


# ------------------------------------------------------------------------------------ record forms
def _registry_project(request: HttpRequest, pk: int) -> Project:
    """The project if the user may change its registration: 404 out of reach, 403 if only readable."""
    from bioplan.enterprises.services import user_may_edit_scope

    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("district", "park"), pk=pk
    )
    if not user_may_edit_scope(request.user, district=project.district, park=project.park):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may read this project but not change its registration."))
    return project


def _project_form(request: HttpRequest, district: Any, instance: Project | None) -> Any:
    from bioplan.enterprises.models import Enterprise
    from bioplan.enterprises.selectors import park_choices
    from bioplan.projects.forms import ProjectForm

    user: Any = request.user
    form = ProjectForm(
        request.POST or None,
        instance=instance,
        district=district,
        parks=park_choices(user=user).filter(parent=district),
        enterprises=Enterprise.objects.visible_to(user).filter(district=district).order_by("name"),
        departments=Department.objects.filter(region=district).order_by("name"),
    )
    if getattr(user, "role", None) == "park_operator" and not user.is_superuser:
        form.fields["park"].required = True  # an operator registers projects of its parks only
    return form


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    from bioplan.enterprises.views import district_for
    from bioplan.web.forms import call_service, form_page

    user: Any = request.user
    if not (user.is_superuser or user.role in ("office_admin", "park_operator")):
        raise PermissionDenied(_("Only the office and park operators register projects."))
    district = district_for(request)
    form = _project_form(request, district, None)
    if request.method == "POST" and form.is_valid():
        project = call_service(
            form,
            services.project_create,
            district=district,
            planned=form.planned(),
            user=user,
            **form.project_fields(),
        )
        if project is not None:
            messages.success(request, _("Project registered."))
            return redirect("projects:detail", pk=project.pk)
    return form_page(
        request, form, title=_("New project"), pretitle=district.name, cancel_url=reverse("projects:list")
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.web.forms import call_service, form_page

    project = _registry_project(request, pk)
    form = _project_form(request, project.district, Project.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.project_update,
            project=project,
            user=request.user,
            expected_version=form.cleaned_data.get("version"),
            **form.project_fields(),
        )
        if saved is not None:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": project.name},
        pretitle=project.district.name,
        cancel_url=reverse("projects:detail", args=[pk]),
        delete_url=reverse("projects:delete", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def project_stages(request: HttpRequest, pk: int) -> HttpResponse:
    """The planned date of every stage in one form (office, park operator, responsible liaison)."""
    from bioplan.projects.forms import StagePlanForm
    from bioplan.web.forms import call_service, form_page

    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("district"), pk=pk)
    if not Project.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may read this project but not change its stages."))
    form = StagePlanForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.project_plan_stages,
            project=project,
            planned=form.planned(),
            user=request.user,
            expected_version=form.cleaned_data.get("version"),
        )
        if saved is not None:
            messages.success(request, _("Stage plan saved."))
            return redirect("projects:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Plan the stages"),
        pretitle=project.name,
        cancel_url=reverse("projects:detail", args=[pk]),
        intro=_("Planned dates follow the stage order. A stage reached is recorded on the project page."),
    )


@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.web.forms import DeleteForm, call_service, delete_page

    project = _registry_project(request, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.project_delete,
            project=project,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("Project deleted."))
            return redirect("projects:list")
    return delete_page(
        request,
        form,
        obj=project,
        title=_("Delete project"),
        pretitle=project.district.name,
        cancel_url=reverse("projects:detail", args=[pk]),
        cascade=[_("its %(n)d stages") % {"n": project.milestones.count()}],
    )
