"""Department pages: every department with its counts, and every task a department leads or co-runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from bioplan.plans import selectors as plan_selectors


def department_list(request: HttpRequest) -> HttpResponse:
    departments = plan_selectors.department_list(user=request.user)
    return render(request, "core/department_list.html", {"departments": departments})


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(
        plan_selectors.departments_visible_to(request.user)
        .select_related("region")
        .prefetch_related("aliases"),
        pk=pk,
    )
    tasks = plan_selectors.department_tasks(department=department, user=request.user)  # type: ignore[arg-type]
    return render(request, "core/department_detail.html", {"department": department, "tasks": tasks})
