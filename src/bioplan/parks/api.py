"""Read-only REST endpoints of the park registry."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from bioplan.parks.models import FloorSpace, LandParcel, Park, SpaceDemand


class RegistryParkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Park
        fields = [
            "id",
            "region",
            "district",
            "name",
            "park_type",
            "layout_group",
            "focus",
            "area_km2",
            "planned_land_mu",
            "operator_department",
            "simulated",
        ]


class LandParcelSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandParcel
        fields = [
            "id",
            "park",
            "code",
            "name",
            "area_mu",
            "land_use",
            "status",
            "available_from",
            "supplied_on",
            "supplied_to",
            "facilities",
        ]


class FloorSpaceSerializer(serializers.ModelSerializer):
    park = serializers.IntegerField(source="building.park_id", read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)

    class Meta:
        model = FloorSpace
        fields = [
            "id",
            "park",
            "building",
            "building_name",
            "floor",
            "space_type",
            "area_m2",
            "available_from",
            "rent",
            "status",
            "tenant_name",
            "facilities",
        ]


class SpaceDemandSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpaceDemand
        fields = [
            "id",
            "requester_name",
            "enterprise",
            "district",
            "preferred_park",
            "space_type",
            "area_min",
            "area_max",
            "needed_by",
            "needs",
            "max_rent",
            "status",
        ]


class RegistryParkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegistryParkSerializer
    filterset_fields = ["district", "park_type"]

    def get_queryset(self) -> QuerySet[Park]:
        return Park.objects.visible_to(self.request.user).order_by("id")


class LandParcelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LandParcelSerializer
    filterset_fields = ["park", "status", "land_use"]

    def get_queryset(self) -> QuerySet[LandParcel]:
        return LandParcel.objects.visible_to(self.request.user).order_by("id")


class FloorSpaceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FloorSpaceSerializer
    filterset_fields = ["building", "space_type", "status"]

    def get_queryset(self) -> QuerySet[FloorSpace]:
        return FloorSpace.objects.visible_to(self.request.user).select_related("building").order_by("id")


class SpaceDemandViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpaceDemandSerializer
    filterset_fields = ["district", "preferred_park", "space_type", "status"]

    def get_queryset(self) -> QuerySet[SpaceDemand]:
        return SpaceDemand.objects.visible_to(self.request.user).order_by("id")
