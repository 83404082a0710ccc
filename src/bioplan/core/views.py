"""Department pages: every department with its counts, and every task a department leads or co-runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bioplan.core import services
from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Department, Region, User
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
    can_edit = services.department_editable_by(request.user, department)  # type: ignore[arg-type]
    return render(
        request,
        "core/department_detail.html",
        {"department": department, "tasks": tasks, "can_edit": can_edit},
    )


# ------------------------------------------------------------------------------ user management
def _require_office(request: HttpRequest) -> Any:
    user: Any = request.user
    if not (user.is_superuser or user.role == Role.OFFICE_ADMIN):
        raise PermissionDenied(_("Only the office manages the users of its region."))
    return user


def _choices(user: Any) -> dict[str, Any]:
    """The regions (the office's own and those below it) and departments an account may be given."""
    from bioplan.core.access import user_region_q

    if user.is_superuser:
        regions = Region.objects.exclude(level=RegionLevel.CITY)
    else:
        own = user.region
        regions = Region.objects.filter(Q(pk=own.pk) | Q(parent=own) | Q(parent__parent=own))
    departments = Department.objects.filter(user_region_q(user, "region"))
    return {"regions": regions.order_by("name"), "departments": departments.order_by("name")}


def user_list(request: HttpRequest) -> HttpResponse:
    user = _require_office(request)
    accounts = (
        services.users_managed_by(user)
        .select_related("region", "department")
        .order_by("region__name", "username")
    )
    return render(request, "core/user_list.html", {"accounts": accounts})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    from bioplan.core.forms import NewAccountForm
    from bioplan.web.forms import call_service, form_page

    user = _require_office(request)
    form = NewAccountForm(
        request.POST or None, initial={"region": user.region_id, "role": Role.LIAISON}, **_choices(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = call_service(
            form,
            services.user_create,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            region=data["region"],
            department=data["department"],
            first_name=data["first_name"],
            email=data["email"],
            user=user,
        )
        if account is not None:
            messages.success(request, _("Account created."))
            return redirect("users:list")
    return form_page(request, form, title=_("New user"), cancel_url=reverse("users:list"))


def _account(request: HttpRequest, pk: int) -> tuple[Any, User]:
    user = _require_office(request)
    return user, get_object_or_404(services.users_managed_by(user), pk=pk)


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.core.forms import AccountForm
    from bioplan.web.forms import call_service, form_page

    user, account = _account(request, pk)
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=pk), **_choices(user))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.ACCOUNT_FIELDS}
        if call_service(form, services.user_update, account=account, user=user, **changes) is not None:
            messages.success(request, _("Account saved."))
            return redirect("users:list")
    return form_page(
        request,
        form,
        title=_("Edit user %(name)s") % {"name": account.username},
        pretitle=account.region.name if account.region else "",
        cancel_url=reverse("users:list"),
    )


@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    from bioplan.core.forms import PasswordForm
    from bioplan.web.forms import call_service, form_page

    user, account = _account(request, pk)
    form = PasswordForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.user_password_set,
            account=account,
            password=form.cleaned_data["password"],
            user=user,
        )
    ):
        messages.success(request, _("Password set. Tell the user in person or by phone."))
        return redirect("users:list")
    return form_page(
        request,
        form,
        title=_("New password for %(name)s") % {"name": account.username},
        cancel_url=reverse("users:list"),
        submit_label=_("Set password"),
    )


@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's contacts: the office of its region or its own liaison."""
    from bioplan.core.forms import DepartmentForm
    from bioplan.web.forms import call_service, form_page

    department = get_object_or_404(
        plan_selectors.departments_visible_to(request.user).select_related("region"), pk=pk
    )
    if not services.department_editable_by(request.user, department):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the office of this region or the department's liaison may change it."))
    form = DepartmentForm(request.POST or None, instance=Department.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.department_update, department=department, user=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("Department saved."))
            return redirect("core:department_detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": department.name},
        pretitle=department.region.name if department.region else "",
        cancel_url=reverse("core:department_detail", args=[pk]),
    )
