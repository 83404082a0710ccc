from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bioplan.core.models import Department, DepartmentAlias, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "code"]
    list_filter = ["level"]
    search_fields = ["name"]


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 0


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "region", "kind"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [DepartmentAliasInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "role", "department", "region", "is_active"]
    list_filter = ["role", "region", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("bioplan"), {"fields": ("role", "department", "region")}),
    )
    autocomplete_fields = ["department"]
