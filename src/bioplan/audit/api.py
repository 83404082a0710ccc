"""GET /api/history/<app_label>/<model>/<id>/: an object's change record, read-only, for those who
may see the object (the same rule as the 变更记录 page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bioplan.audit import selectors
from bioplan.audit.registry import tracked

MAX_ID = 2**63 - 1


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    when = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["created", "updated", "deleted", "restored"])
    kind_label = serializers.CharField()
    user_name = serializers.CharField()
    department = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    changes = FieldChangeSerializer(many=True)


class ObjectHistoryView(APIView):
    """Every change of one object, newest first: when, who, kind, reason, and the changed fields
    with their values before and after (display values: choice labels, related names)."""

    @extend_schema(
        operation_id="history_retrieve",
        parameters=[
            OpenApiParameter("app_label", str, OpenApiParameter.PATH, description="e.g. plans"),
            OpenApiParameter("model_name", str, OpenApiParameter.PATH, description="e.g. target"),
        ],
        responses=HistoryEntrySerializer(many=True),
    )
    def get(self, request: Request, app_label: str, model_name: str, pk: int) -> Response:
        entry = tracked(f"{app_label}.{model_name}")
        if entry is None or pk > MAX_ID:
            raise exceptions.NotFound()
        if not selectors.may_read_history(request.user):
            raise exceptions.PermissionDenied()
        if not selectors.history_visible(user=request.user, entry=entry, pk=pk):
            raise exceptions.NotFound()
        history = selectors.object_history(entry=entry, pk=pk)
        rows: list[Any] = history.entries
        return Response(HistoryEntrySerializer(rows, many=True).data)
