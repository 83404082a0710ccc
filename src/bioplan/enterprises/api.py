"""REST endpoints of the enterprise registry. Enterprises, honours and figures are written through
the same services as the pages and the sheet imports (core.api.ServiceWrites); products and derived
rules are read-only here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from bioplan.core.api import (
    VERSION_HELP,
    EditConflictSerializer,
    ServiceWrites,
    VisibleRelatedFields,
    unchanged_only,
)
from bioplan.enterprises import services
from bioplan.enterprises.choices import Segment
from bioplan.enterprises.filters import EnterpriseFilterSet
from bioplan.enterprises.models import DerivedRule, Enterprise, EnterpriseFigure, Honour, Product
from bioplan.enterprises.selectors import derived_rules_visible_to


def _visible_enterprises(user: Any) -> QuerySet[Enterprise]:
    return Enterprise.objects.visible_to(user)


REASON = OpenApiParameter("reason", str, description="why the record is deleted (kept in its change history)")
CONFLICT = {409: OpenApiResponse(EditConflictSerializer, description="changed by someone else since read")}
WRITES = extend_schema_view(
    update=extend_schema(responses={200: None, **CONFLICT}),
    partial_update=extend_schema(responses={200: None, **CONFLICT}),
    destroy=extend_schema(parameters=[REASON]),
)


class HonourSerializer(VisibleRelatedFields, serializers.ModelSerializer):
    visible_fields = {"enterprise": _visible_enterprises}

    class Meta:
        model = Honour
        fields = [
            "id",
            "enterprise",
            "kind",
            "level",
            "certificate_no",
            "valid_from",
            "valid_until",
            "board",
            "stock_code",
        ]


class EnterpriseSerializer(serializers.ModelSerializer):
    park_name = serializers.CharField(source="park.name", read_only=True, default=None)
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)
    other_segments = serializers.ListField(
        child=serializers.ChoiceField(choices=Segment.choices), required=False
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "district",
            "park",
            "park_name",
            "address",
            "segment",
            "other_segments",
            "is_above_scale",
            "founded_on",
            "simulated",
            "version",
        ]
        read_only_fields = ["simulated"]


class FigureSerializer(VisibleRelatedFields, serializers.ModelSerializer):
    visible_fields = {"enterprise": _visible_enterprises}

    class Meta:
        model = EnterpriseFigure
        fields = [
            "id",
            "enterprise",
            "year",
            "quarter",
            "revenue",
            "industrial_output",
            "rd_expense",
            "tax",
            "employees",
            "money_unit",
            "source",
        ]
        read_only_fields = ["money_unit"]
        validators: list[Any] = []  # a period sent again is a correction (figure_record), not a clash


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "enterprise", "name", "kind", "category", "indication", "phase", "registration_no"]


class DerivedRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DerivedRule
        fields = ["id", "target", "kind", "region", "parameters", "unit"]


@WRITES
class EnterpriseViewSet(ServiceWrites, viewsets.ModelViewSet):
    """Enterprises of the user's reach. POST registers one (`district` and `park` must be the
    user's: office admins their region, park operators their parks); PUT/PATCH change the fields
    of `enterprise_update` (the credit code and district are fixed) with optimistic concurrency
    (`version`); DELETE removes it with its honours, figures and products (restorable)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet  # the list page and its export use the same one

    def get_queryset(self) -> QuerySet[Enterprise]:
        return Enterprise.objects.visible_to(self.request.user).select_related("park").order_by("id")

    def create_with(self, data: dict[str, Any], *, user: Any) -> Enterprise:
        data.pop("version", None)
        return services.enterprise_create(user=user, **data)

    def update_with(self, enterprise: Enterprise, data: dict[str, Any], *, user: Any) -> Enterprise:
        expected = data.get("version")
        changes = unchanged_only(enterprise, data, services.ENTERPRISE_FIELDS)
        return services.enterprise_update(
            enterprise=enterprise, user=user, expected_version=expected, **changes
        )

    def delete_with(self, enterprise: Enterprise, *, user: Any, reason: str) -> None:
        services.enterprise_delete(enterprise=enterprise, user=user, reason=reason)


@WRITES
class HonourViewSet(ServiceWrites, viewsets.ModelViewSet):
    """Honours of the enterprises the user reaches. POST grants one (`honour_grant`: 上市 needs a
    board, 高新技术企业 without an end is valid three years); PUT/PATCH correct it; DELETE removes it."""

    serializer_class = HonourSerializer
    filterset_fields = ["enterprise", "kind", "level", "board"]

    def get_queryset(self) -> QuerySet[Honour]:
        return Honour.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(self.request.user)
        ).order_by("id")

    def create_with(self, data: dict[str, Any], *, user: Any) -> Honour:
        return services.honour_grant(user=user, **data)

    def update_with(self, honour: Honour, data: dict[str, Any], *, user: Any) -> Honour:
        return services.honour_update(
            honour=honour, user=user, **unchanged_only(honour, data, services.HONOUR_FIELDS)
        )

    def delete_with(self, honour: Honour, *, user: Any, reason: str) -> None:
        services.honour_delete(honour=honour, user=user, reason=reason)


FIGURE_VALUES = ("revenue", "industrial_output", "rd_expense", "tax", "employees", "source")


@WRITES
class FigureViewSet(ServiceWrites, viewsets.ModelViewSet):
    """Yearly (quarter 0) or quarterly figures (万元) of the enterprises the user reaches. POST
    records a period (`figure_record`: a period already stored is corrected, not doubled); PATCH
    corrects the values of this period; DELETE removes it."""

    serializer_class = FigureSerializer
    filterset_fields = ["enterprise", "year", "quarter", "source"]

    def get_queryset(self) -> QuerySet[EnterpriseFigure]:
        return EnterpriseFigure.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(self.request.user)
        ).order_by("id")

    def create_with(self, data: dict[str, Any], *, user: Any) -> EnterpriseFigure:
        return services.figure_record(user=user, **data)

    def update_with(self, figure: EnterpriseFigure, data: dict[str, Any], *, user: Any) -> EnterpriseFigure:
        changes = unchanged_only(figure, data, FIGURE_VALUES)
        values = {name: changes.get(name, getattr(figure, name)) for name in FIGURE_VALUES}
        return services.figure_record(
            enterprise=figure.enterprise, year=figure.year, quarter=figure.quarter, user=user, **values
        )

    def delete_with(self, figure: EnterpriseFigure, *, user: Any, reason: str) -> None:
        services.figure_delete(figure=figure, user=user, reason=reason)


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductSerializer
    filterset_fields = ["enterprise", "kind", "phase"]

    def get_queryset(self) -> QuerySet[Product]:
        return Product.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(self.request.user)
        ).order_by("id")


class DerivedRuleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DerivedRuleSerializer
    filterset_fields = ["target", "kind", "region"]

    def get_queryset(self) -> QuerySet[DerivedRule]:
        return derived_rules_visible_to(self.request.user).order_by("id")
