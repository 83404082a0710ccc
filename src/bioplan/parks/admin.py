from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bioplan.parks.models import Building, FloorSpace, LandParcel, Park, SpaceDemand


@admin.register(Park)
class ParkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "district", "park_type", "layout_group", "operator_department", "simulated"]
    list_filter = ["district", "park_type", "simulated"]
    search_fields = ["name"]


@admin.register(LandParcel)
class LandParcelAdmin(SimpleHistoryAdmin):
    list_display = ["code", "park", "area_mu", "land_use", "status", "supplied_on"]
    list_filter = ["status", "land_use"]


class FloorSpaceInline(admin.TabularInline):
    model = FloorSpace
    extra = 0


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "park", "floors"]
    inlines = [FloorSpaceInline]


@admin.register(FloorSpace)
class FloorSpaceAdmin(SimpleHistoryAdmin):
    list_display = ["building", "floor", "space_type", "area_m2", "status", "available_from", "rent"]
    list_filter = ["space_type", "status"]


@admin.register(SpaceDemand)
class SpaceDemandAdmin(SimpleHistoryAdmin):
    list_display = ["requester_name", "space_type", "area_min", "area_max", "needed_by", "status"]
    list_filter = ["space_type", "status"]
    raw_id_fields = ["enterprise"]
