from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bioplan.enterprises.models import (
    CultivationEntry,
    DerivedRule,
    Enterprise,
    EnterpriseFigure,
    Honour,
    ImportJob,
    Product,
    ProductMilestone,
)


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "district", "park", "segment", "is_above_scale", "simulated"]
    list_filter = ["district", "segment", "is_above_scale", "simulated"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["park"]
    inlines = [HonourInline]


@admin.register(Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "kind", "level", "valid_from", "valid_until", "board"]
    list_filter = ["kind", "level", "board"]
    raw_id_fields = ["enterprise"]


@admin.register(EnterpriseFigure)
class EnterpriseFigureAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "quarter", "revenue", "industrial_output", "source"]
    list_filter = ["year", "quarter", "source"]
    raw_id_fields = ["enterprise"]


class MilestoneInline(admin.TabularInline):
    model = ProductMilestone
    extra = 0


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "enterprise", "kind", "phase"]
    list_filter = ["kind", "phase"]
    raw_id_fields = ["enterprise"]
    inlines = [MilestoneInline]


@admin.register(CultivationEntry)
class CultivationEntryAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "tier", "entered_on"]
    list_filter = ["tier"]
    raw_id_fields = ["enterprise"]


@admin.register(DerivedRule)
class DerivedRuleAdmin(SimpleHistoryAdmin):
    list_display = ["target", "kind", "region", "unit"]
    list_filter = ["kind"]
    raw_id_fields = ["target"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "sheet_kind",
        "region",
        "state",
        "processed_rows",
        "total_rows",
        "created_at",
    ]
    list_filter = ["state", "sheet_kind"]
