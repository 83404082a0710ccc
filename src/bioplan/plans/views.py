"""Plan pages: list, plan page (targets, tasks, parks, versions), version diff, search, import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import IngestError
from bioplan.plans import review_services, selectors, services
from bioplan.plans.forms import PlanImportForm, SuccessorForm, TaskNodeForm, ingest_error_message
from bioplan.web.search import search_all


def plan_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("versions") == "all"
    plans = selectors.plan_list(user=request.user, include_old_versions=show_all)  # type: ignore[arg-type]
    return render(request, "plans/plan_list.html", {"plans": plans, "show_all": show_all})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.plans_visible_to(request.user).select_related("region"), pk=pk)  # type: ignore[arg-type]
    page = selectors.plan_page(plan=plan)
    return render(
        request,
        "plans/plan_detail.html",
        {"page": page, "plan": plan, "extras": selectors.plan_page_extras(plan=plan)},
    )


def plan_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    visible = selectors.plans_visible_to(request.user)  # type: ignore[arg-type]
    new = get_object_or_404(visible, pk=pk)
    old = get_object_or_404(visible, pk=other, lineage=new.lineage)
    if old.version > new.version:
        old, new = new, old
    diff = selectors.plan_diff(old=old, new=new)
    loose = selectors.unmatched(new=new) if new.version == old.version + 1 else None
    can_map = loose is not None and selectors.plans_editable_by(request.user).filter(pk=old.pk).exists()  # type: ignore[arg-type]
    return render(
        request, "plans/plan_diff.html", {"diff": diff, "plan": new, "unmatched": loose, "can_map": can_map}
    )


@require_http_methods(["GET", "POST"])
def task_nodes(request: HttpRequest, pk: int) -> HttpResponse:
    """A task's nodes (任务节点); the office of the plan's district adds, updates and removes them."""
    from bioplan.plans.models import Task, TaskNode

    task = get_object_or_404(
        Task.objects.filter(plan__in=selectors.plans_visible_to(request.user)).select_related("plan"),  # type: ignore[arg-type]
        pk=pk,
    )
    can_edit = selectors.plans_editable_by(request.user).filter(pk=task.plan_id).exists()  # type: ignore[arg-type]
    form = TaskNodeForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the office of the plan's district edits its task nodes."))
        node = None
        if request.POST.get("node", "").isdigit():
            node = get_object_or_404(TaskNode.objects.filter(task=task), pk=int(request.POST["node"]))
        try:
            if node is not None and request.POST.get("action") == "delete":
                services.task_node_delete(node=node, user=request.user)  # type: ignore[arg-type]
                return redirect("plans:task_nodes", pk=task.pk)
            form = TaskNodeForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.task_node_save(
                    task=task,
                    node=node,
                    title=data["title"],
                    due_date=data["due_date"],
                    done_date=data["done_date"],
                    evidence=data["evidence"],
                    user=request.user,  # type: ignore[arg-type]
                )
                return redirect("plans:task_nodes", pk=task.pk)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
    nodes = list(task.nodes.order_by("due_date", "pk"))
    return render(
        request, "plans/task_nodes.html", {"task": task, "nodes": nodes, "form": form, "can_edit": can_edit}
    )


@require_http_methods(["POST"])
def successor_set(request: HttpRequest, pk: int) -> HttpResponse:
    """The office maps a target or task of version `pk` that has no successor to one of the next version."""
    old = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    if not selectors.plans_editable_by(request.user).filter(pk=old.pk).exists():  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the office of the plan's district maps its versions."))
    new = get_object_or_404(
        selectors.plans_visible_to(request.user), lineage=old.lineage, version=old.version + 1
    )  # type: ignore[arg-type]
    form = SuccessorForm(request.POST, old=old, new=new)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("plans:diff", pk=new.pk, other=old.pk)
    try:
        form.save(user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("Mapped; its tracking now follows version %(v)s.") % {"v": new.version})
    return redirect("plans:diff", pk=new.pk, other=old.pk)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.search(query=query, user=request.user)  # type: ignore[arg-type]
    groups = search_all(query=query, user=request.user)
    return render(request, "plans/search.html", {"results": results, "groups": groups, "query": query})


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload a plan: it is read and kept as a draft for the office to review before it is published."""
    if not getattr(request.user, "is_office_admin", False):
        raise PermissionDenied(_("Only the office can import plans."))
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft, text = form.read()
            import_draft = review_services.import_draft_create(
                user=request.user,  # type: ignore[arg-type]
                draft=draft,
                source_text=text,
                source_file=upload.name,
            )
        except IngestError as exc:
            form.add_error("file", ingest_error_message(exc, upload.name))
        except ValidationError as exc:  # a value the draft check let through but a model refuses
            form.add_error("file", "；".join(exc.messages))
        else:
            messages.success(request, _("The plan was read; check it below, then publish it."))
            return redirect("plans:draft_review", pk=import_draft.pk)
    return render(request, "plans/plan_import.html", {"form": form})


__all__ = ["PlanDraft", "plan_detail", "plan_diff", "plan_import", "plan_list", "search", "successor_set"]
