"""REST endpoints of the key-project registry: projects are registered, changed and removed, and
their stages planned and reached, through the same services as the pages (core.api.ServiceWrites)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from bioplan.core.api import (
    VERSION_HELP,
    EditConflictSerializer,
    ServiceWrites,
    VisibleRelatedFields,
    unchanged_only,
)
from bioplan.core.models import Department
from bioplan.enterprises.models import Enterprise
from bioplan.projects import services
from bioplan.projects.choices import ProjectStage
from bioplan.projects.models import Project, ProjectMilestone

CONFLICT = {409: OpenApiResponse(EditConflictSerializer, description="changed by someone else since read")}


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["stage", "planned_on", "actual_on"]


class ProjectSerializer(VisibleRelatedFields, serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)
    planned = serializers.DictField(
        child=serializers.DateField(),
        required=False,
        write_only=True,
        help_text='On POST: the planned date of each stage, e.g. {"signed": "2025-03-01"}.',
    )
    visible_fields = {
        "enterprise": lambda user: Enterprise.objects.visible_to(user),
        "responsible_department": lambda user: _departments_visible_to(user),
    }

    def validate_planned(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(ProjectStage.values))
        if unknown:
            raise serializers.ValidationError(f"未知的阶段：{'、'.join(unknown)}")
        return value

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
            "version",
            "planned",
        ]
        read_only_fields = [
            "investment_unit",
            "output_unit",
            "stage",
            "next_stage",
            "next_planned_on",
            "full_output_on",
            "simulated",
        ]


def _departments_visible_to(user: Any) -> QuerySet[Department]:
    from bioplan.plans.selectors import departments_visible_to

    return departments_visible_to(user)


class StagePlanSerializer(serializers.Serializer):
    planned = serializers.DictField(
        child=serializers.DateField(allow_null=True),
        help_text="stage → planned date (null clears it); stages not named keep their date",
    )
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)

    def validate_planned(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(ProjectStage.values))
        if unknown:
            raise serializers.ValidationError(f"未知的阶段：{'、'.join(unknown)}")
        return value


class StageReachedSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProjectStage.choices)
    actual_on = serializers.DateField()


@extend_schema_view(
    update=extend_schema(responses={200: ProjectSerializer, **CONFLICT}),
    partial_update=extend_schema(responses={200: ProjectSerializer, **CONFLICT}),
    destroy=extend_schema(
        parameters=[OpenApiParameter("reason", str, description="why (kept in the change history)")]
    ),
)
class ProjectViewSet(ServiceWrites, viewsets.ModelViewSet):
    """Key projects of the user's reach. POST registers one (office admins in their region, park
    operators in their parks; `planned` gives the stage dates); PUT/PATCH change its registration
    (`version` for optimistic concurrency); DELETE removes it with its stages. Stages:
    `POST …/stages/` plans dates, `POST …/advance/` records the next stage reached — also for the
    liaison of the responsible department."""

    serializer_class = ProjectSerializer
    filterset_fields = ["district", "park", "stage", "project_type", "responsible_department"]

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.visible_to(self.request.user).prefetch_related("milestones").order_by("id")

    def create_with(self, data: dict[str, Any], *, user: Any) -> Project:
        data.pop("version", None)
        return services.project_create(user=user, planned=data.pop("planned", None), **data)

    def update_with(self, project: Project, data: dict[str, Any], *, user: Any) -> Project:
        expected = data.get("version")
        data.pop("planned", None)
        changes = unchanged_only(project, data, services.PROJECT_FIELDS)
        return services.project_update(project=project, user=user, expected_version=expected, **changes)

    def delete_with(self, project: Project, *, user: Any, reason: str) -> None:
        services.project_delete(project=project, user=user, reason=reason)

    @extend_schema(request=StagePlanSerializer, responses={200: ProjectSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def stages(self, request: Request, pk: str | None = None) -> Response:
        s = StagePlanSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        project = services.project_plan_stages(
            project=self.get_object(),
            planned=s.validated_data["planned"],
            user=request.user,  # type: ignore[arg-type]
            expected_version=s.validated_data.get("version"),
        )
        return Response(
            ProjectSerializer(Project.objects.get(pk=project.pk), context={"request": request}).data
        )

    @extend_schema(request=StageReachedSerializer, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        s = StageReachedSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        project = services.project_advance(
            project=self.get_object(),
            stage=s.validated_data["stage"],
            actual_on=s.validated_data["actual_on"],
            user=request.user,  # type: ignore[arg-type]
        )
        return Response(
            ProjectSerializer(Project.objects.get(pk=project.pk), context={"request": request}).data
        )
