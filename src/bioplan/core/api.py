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


# ------------------------------------------------------------------------------ errors
def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, plus the services' Django errors: `EditConflict` → 409 with the stored record
    (as the view's serializer shows it), `ValidationError` → 400 with the messages per field
    (Chinese, as the services write them). PermissionDenied and Http404 DRF already maps to 403/404.
    Views then just call the service (HackSoft's `api/exception_handlers.py`)."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(exc, EditConflict):
        view = context.get("view")
        current = None
        if view is not None and hasattr(view, "get_serializer_class") and exc.instance.pk:
            serializer_class = view.get_serializer_class()
            if isinstance(exc.instance, serializer_class.Meta.model):
                current = serializer_class(exc.instance, context=view.get_serializer_context()).data
        exc = EditConflictError(exc, current=current)
    elif isinstance(exc, DjangoValidationError):
        from rest_framework.settings import api_settings

        detail: Any = {"detail": exc.messages}
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        exc = exceptions.ValidationError(detail)
    return drf_handler(exc, context)


class ServiceWrites:
    """Mixin for a ModelViewSet whose writes go through services: the serializer validates the
    body, the view calls the service (`create_with`, `update_with`, `delete_with`) with the acting
    user, and the service's refusals come back as 403/400/409 through `exception_handler`. The
    queryset is the user's `visible_to`, so an object out of reach is a 404 before any service runs.
    DELETE takes the reason for the change history as `?reason=`."""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.create_with(serializer.validated_data, user=self.request.user)  # type: ignore[attr-defined]

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.update_with(  # type: ignore[attr-defined]
            serializer.instance,
            dict(serializer.validated_data),
            user=self.request.user,  # type: ignore[attr-defined]
        )

    def perform_destroy(self, instance: Any) -> None:
        reason = str(self.request.query_params.get("reason", ""))[:200] or "deleted through the API"  # type: ignore[attr-defined]
        self.delete_with(instance, user=self.request.user, reason=reason)  # type: ignore[attr-defined]


def unchanged_only(instance: Any, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The changes among `fields`; any other field in `data` must keep its stored value (a 400
    naming it otherwise), so a client that sends back the whole record is not refused."""
    problems = {
        name: ["该字段不能修改。"]
        for name, value in data.items()
        if name not in fields and name != "version" and getattr(instance, name, value) != value
    }
    if problems:
        raise exceptions.ValidationError(problems)
    return {name: value for name, value in data.items() if name in fields}


class VisibleRelatedFields:
    """Serializer mixin: related fields named in `visible_fields` (field → callable(user) giving a
    queryset) choose only among rows the user reaches; another id is "对象不存在" (400)."""

    visible_fields: dict[str, Any] = {}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        request = getattr(self, "context", {}).get("request")
        if request is not None:
            for name, queryset_for in self.visible_fields.items():
                if name in fields and not fields[name].read_only:
                    fields[name].queryset = queryset_for(request.user)
        return fields
