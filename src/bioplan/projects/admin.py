from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bioplan.projects.models import Project, ProjectMilestone


class MilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "district",
        "park",
        "project_type",
        "total_investment",
        "stage",
        "next_planned_on",
    ]
    list_filter = ["district", "stage", "project_type", "simulated"]
    search_fields = ["name", "investor_name"]
    raw_id_fields = ["enterprise", "park"]
    readonly_fields = ["stage", "next_stage", "next_planned_on", "full_output_on"]
    inlines = [MilestoneInline]
