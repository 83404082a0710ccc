from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bioplan.plans.models import Assignment, Park, Plan, Section, Target, Task


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["code", "metric", "kind", "comparator", "value", "value_max", "unit", "year", "level", "scope"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "region",
        "industry",
        "period_start",
        "period_end",
        "status",
        "version",
        "is_current",
    ]
    list_filter = ["region", "status", "is_current"]
    search_fields = ["title", "doc_number"]
    readonly_fields = ["lineage", "content_hash", "version"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "metric", "comparator", "value", "unit", "year", "level", "scope", "plan"]
    list_filter = ["kind", "level", "plan__region"]
    search_fields = ["metric", "scope", "quote"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "section", "plan"]
    list_filter = ["plan__region"]
    search_fields = ["title"]
    inlines = [AssignmentInline]


@admin.register(Park)
class ParkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "park_type", "layout_group", "new_land_mu", "plan"]
    search_fields = ["name"]


admin.site.register(Section)
