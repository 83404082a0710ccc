"""Read-only REST endpoints for plans, targets, tasks and parks."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from bioplan.core.api_lists import BoundedFilterSet
from bioplan.plans import selectors
from bioplan.plans.models import Assignment, Park, Plan, Target, Task


class PlanSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    target_count = serializers.IntegerField(read_only=True)
    task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "region",
            "region_name",
            "industry",
            "title",
            "period_start",
            "period_end",
            "status",
            "doc_number",
            "issued_on",
            "source_file",
            "version",
            "is_current",
            "predecessor",
            "target_count",
            "task_count",
        ]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "code",
            "metric",
            "kind",
            "value",
            "value_max",
            "unit",
            "comparator",
            "year",
            "level",
            "scope",
            "baseline_value",
            "baseline_year",
            "quote",
            "successor",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["department", "department_name", "name_as_written", "role"]


class TaskSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.title", read_only=True, default=None)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "number", "title", "section", "assignments", "successor"]


class ParkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Park
        fields = ["id", "plan", "name", "park_type", "layout_group", "focus", "new_land_mu", "stated_areas"]


class PlanFilter(BoundedFilterSet):
    current = filters.BooleanFilter(field_name="is_current")

    class Meta:
        model = Plan
        fields = ["region", "industry", "status", "current"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            selectors.plans_visible_to(self.request.user)
            .select_related("region")
            .with_counts()
            .order_by("id")
        )  # type: ignore[arg-type]


class TargetFilter(BoundedFilterSet):
    metric = filters.CharFilter(lookup_expr="icontains")
    # ?plan=<version n>&has_successor=false: what the import left behind in version n (docs/tracking.md)
    has_successor = filters.BooleanFilter(field_name="successor", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Target
        fields = ["plan", "kind", "unit", "year", "level", "scope", "metric"]


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self) -> QuerySet[Target]:
        return Target.objects.filter(plan__in=selectors.plans_visible_to(self.request.user)).order_by(
            "plan_id", "position"
        )  # type: ignore[arg-type]


class TaskFilter(BoundedFilterSet):
    department = filters.NumberFilter(field_name="assignments__department", distinct=True)
    has_successor = filters.BooleanFilter(field_name="successor", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Task
        fields = ["plan", "number", "department"]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self) -> QuerySet[Task]:
        tasks = Task.objects.filter(plan__in=selectors.plans_visible_to(self.request.user))  # type: ignore[arg-type]
        return selectors.tasks_with_assignments(tasks).order_by("plan_id", "position")


class ParkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ParkSerializer
    filterset_fields = ["plan", "layout_group", "park_type"]

    def get_queryset(self) -> QuerySet[Park]:
        return Park.objects.filter(plan__in=selectors.plans_visible_to(self.request.user)).order_by(
            "plan_id", "position"
        )  # type: ignore[arg-type]
