"""REST endpoints of the park registry: floor space is written through the services
(core.api.ServiceWrites); parks, parcels and demands are read-only here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from bioplan.core.api import ServiceWrites, VisibleRelatedFields, unchanged_only
from bioplan.parks import services
from bioplan.parks.models import Building, FloorSpace, LandParcel, Park, SpaceDemand


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


class FloorSpaceSerializer(VisibleRelatedFields, serializers.ModelSerializer):
    park = serializers.IntegerField(source="building.park_id", read_only=True)
    visible_fields = {
        "building": lambda user: Building.objects.filter(park__in=Park.objects.visible_to(user))
    }
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


@extend_schema_view(
    destroy=extend_schema(
        parameters=[OpenApiParameter("reason", str, description="why (kept in the change history)")]
    )
)
class FloorSpaceViewSet(ServiceWrites, viewsets.ModelViewSet):
    """Floor space of the parks the user reaches. POST registers a space in a building
    (`space_create`), PUT/PATCH change it (`space_update`: a let or reserved space names its
    tenant), DELETE removes it; office admins in their region, park operators in their parks."""

    serializer_class = FloorSpaceSerializer
    filterset_fields = ["building", "space_type", "status"]

    def get_queryset(self) -> QuerySet[FloorSpace]:
        return FloorSpace.objects.visible_to(self.request.user).select_related("building").order_by("id")

    def create_with(self, data: dict[str, Any], *, user: Any) -> FloorSpace:
        return services.space_create(user=user, **data)

    def update_with(self, space: FloorSpace, data: dict[str, Any], *, user: Any) -> FloorSpace:
        return services.space_update(
            space=space, user=user, **unchanged_only(space, data, services.SPACE_FIELDS)
        )

    def delete_with(self, space: FloorSpace, *, user: Any, reason: str) -> None:
        services.space_delete(space=space, user=user, reason=reason)


class SpaceDemandViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpaceDemandSerializer
    filterset_fields = ["district", "preferred_park", "space_type", "status"]

    def get_queryset(self) -> QuerySet[SpaceDemand]:
        return SpaceDemand.objects.visible_to(self.request.user).order_by("id")
