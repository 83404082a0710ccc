"""The Django admin for the operator's superusers only.

Office admins, liaisons and the other roles work in the app's own pages, which check their region
and department; the admin checks neither, so a staff flag alone must not open it (a `is_staff`
account that is not a superuser is sent to the admin's login page like anyone else)."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "bioplan.core.admin_site.SuperuserAdminSite"
