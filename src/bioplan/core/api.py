"""Read-only REST endpoints for regions and departments."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from bioplan.core.models import Department, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "level", "parent", "code"]


class DepartmentSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")  # type: ignore[var-annotated]

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "region", "kind", "aliases"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.select_related("parent").order_by("id")
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent"]


class DepartmentFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Department
        fields = ["region", "kind", "name"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.prefetch_related("aliases").order_by("id")
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
