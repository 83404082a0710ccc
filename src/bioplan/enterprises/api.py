"""Read-only REST endpoints of the enterprise registry (writes go through the pages and imports)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from bioplan.enterprises.filters import EnterpriseFilterSet
from bioplan.enterprises.models import DerivedRule, Enterprise, EnterpriseFigure, Honour, Product
from bioplan.enterprises.selectors import derived_rules_visible_to


class HonourSerializer(serializers.ModelSerializer):
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
        ]


class FigureSerializer(serializers.ModelSerializer):
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


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "enterprise", "name", "kind", "category", "indication", "phase", "registration_no"]


class DerivedRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DerivedRule
        fields = ["id", "target", "kind", "region", "parameters", "unit"]


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet  # the list page and its export use the same one

    def get_queryset(self) -> QuerySet[Enterprise]:
        return Enterprise.objects.visible_to(self.request.user).select_related("park").order_by("id")


class HonourViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HonourSerializer
    filterset_fields = ["enterprise", "kind", "level", "board"]

    def get_queryset(self) -> QuerySet[Honour]:
        return Honour.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(self.request.user)
        ).order_by("id")


class FigureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FigureSerializer
    filterset_fields = ["enterprise", "year", "quarter", "source"]

    def get_queryset(self) -> QuerySet[EnterpriseFigure]:
        return EnterpriseFigure.objects.filter(
            enterprise__in=Enterprise.objects.visible_to(self.request.user)
        ).order_by("id")


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
