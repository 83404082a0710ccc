"""Read-only REST endpoints for regions and departments; the API's answer to an edit conflict (409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers, status, viewsets

from bioplan.core.api_lists import BoundedFilterSet
from bioplan.core.concurrency import EditConflict
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


class DepartmentFilter(BoundedFilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Department
        fields = ["region", "kind", "name"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self) -> QuerySet[Department]:
        from bioplan.plans.selectors import departments_visible_to  # core's pages read through plans

        return departments_visible_to(self.request.user).prefetch_related("aliases").order_by("id")


# ------------------------------------------------------------------------------ edit conflicts
class EditConflictSerializer(serializers.Serializer):
    """The 409 answer when the record changed since the client read it (optimistic concurrency)."""

    code = serializers.CharField(help_text="always `edit_conflict`")
    detail = serializers.CharField(help_text="该记录已被 X 于 HH:MM 修改，请刷新后再编辑。")
    expected_version = serializers.IntegerField(help_text="the `version` the client sent")
    current_version = serializers.IntegerField(help_text="the version stored now (0: no record)")
    changed_by = serializers.CharField(help_text="who saved it last")
    changed_at = serializers.DateTimeField(allow_null=True, help_text="when")
    changed_fields = serializers.ListField(child=serializers.CharField(), help_text="fields they changed")
    current = serializers.DictField(help_text="the record as stored now, as a GET would show it")


class EditConflictError(exceptions.APIException):
    """409 Conflict with an EditConflictSerializer body; nothing was saved."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "edit_conflict"

    def __init__(self, conflict: EditConflict, current: dict[str, Any] | None = None) -> None:
        super().__init__(conflict.sentence(), code=self.default_code)
        # A plain dict (not ErrorDetail strings), so versions stay integers in the JSON body.
        self.detail = {**conflict.as_dict(), "current": current or {}}  # type: ignore[assignment]


VERSION_HELP = (
    "Optimistic concurrency: send back the `version` you read (0 when there was no record yet). "
    "If the record changed since, nothing is saved and the answer is 409 with the change. "
    "Omitted: no check (the last write wins)."
)
