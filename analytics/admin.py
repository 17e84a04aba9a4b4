from django.contrib import admin

from analytics.models import DayBreakdown, StoreDay, Watermark


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rollups are derived from the orders: staff read them; `analytics_rebuild` rewrites them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoreDay)
class StoreDayAdmin(ReadOnlyAdmin):
    list_display = ["store", "day", "orders_placed", "sales", "revenue", "fees", "refunded"]
    list_filter = ["day"]
    search_fields = ["store__username"]
    list_select_related = ["store"]
    date_hierarchy = "day"


@admin.register(DayBreakdown)
class DayBreakdownAdmin(ReadOnlyAdmin):
    list_display = ["store", "day", "dimension", "label", "orders", "units", "revenue"]
    list_filter = ["dimension"]
    search_fields = ["store__username", "key", "label"]
    list_select_related = ["store"]
    date_hierarchy = "day"


@admin.register(Watermark)
class WatermarkAdmin(ReadOnlyAdmin):
    list_display = ["name", "reached_at", "updated_at"]
