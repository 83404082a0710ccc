"""Read-only REST endpoints of the key-project registry."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from bioplan.projects.models import Project, ProjectMilestone


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["stage", "planned_on", "actual_on"]


class ProjectSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "investor_name",
            "enterprise",
            "district",
            "park",
            "project_type",
            "total_investment",
            "investment_unit",
            "land_mu",
            "floor_area_m2",
            "expected_output",
            "output_unit",
            "responsible_department",
            "leader_name",
            "stage",
            "next_stage",
            "next_planned_on",
            "full_output_on",
            "simulated",
            "milestones",
        ]


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_fields = ["district", "park", "stage", "project_type", "responsible_department"]

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.visible_to(self.request.user).prefetch_related("milestones").order_by("id")
