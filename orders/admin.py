from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from config.admin import ReadOnlyAdmin
from config.errors import ServiceError
from orders import services
from orders.models import (
    AbandonedCheckout,
    Coupon,
    CouponRedemption,
    DeliveryRate,
    DeliverySettings,
    Order,
    OrderEvent,
    OrderItem,
    OrderSource,
    RecoveryMessage,
    RecoveryOptOut,
    RecoverySettings,
)

MONEY_FIELDS = ("subtotal", "discount", "shipping_fee", "agm_fee", "total")


def change_link(row, label):
    """A link to `row`'s own admin page, so staff can follow an order to its store and back."""
    meta = row._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    return format_html('<a href="{}">{}</a>', url, label)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    fields = ("product", "product_name", "product_price", "quantity", "subtotal", "variant_selection")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "status", "note", "actor")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are placed by checkout and moved by the status machine, so money, items and
    status are read-only here; the cancel action goes through the service (it restocks)."""

    list_display = (
        "order_number",
        "store_link",
        "customer_name",
        "customer_phone",
        "status",
        "payment_status",
        "total",
        "created_at",
    )
    list_filter = ("status", "payment_status", "created_at")
    search_fields = ("order_number", "customer_name", "customer_phone", "customer_email", "store__username")
    list_select_related = ("store",)
    date_hierarchy = "created_at"
    inlines = [OrderItemInline, OrderEventInline]
    readonly_fields = (
        "order_number",
        "store",
        "items",
        *MONEY_FIELDS,
        "status",
        "payment_status",
        "created_at",
        "updated_at",
    )
    fields = (
        "order_number",
        "store",
        "status",
        "payment_status",
        "customer_name",
        "customer_phone",
        "customer_email",
        "delivery_address",
        "delivery_state",
        "delivery_lga",
        "notes",
        *MONEY_FIELDS,
        "items",
        "created_at",
        "updated_at",
    )
    actions = ["cancel_orders"]

    @admin.display(description="Store", ordering="store__username")
    def store_link(self, order):
        return change_link(order.store, order.store.username)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Cancel the selected orders and return their stock")
    def cancel_orders(self, request, queryset):
        cancelled = 0
        for order in queryset:
            try:
                services.order_cancel(order=order, actor=request.user, note="Cancelled by platform staff.")
                cancelled += 1
            except ServiceError as error:
                self.message_user(request, f"{order.order_number}: {error.message}", messages.WARNING)
        self.message_user(request, f"{cancelled} order(s) cancelled.")


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ("code", "store", "kind", "value", "used_count", "usage_limit", "is_active", "ends_at")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "store__username")
    list_select_related = ("store",)
    raw_id_fields = ("store",)
    readonly_fields = ("used_count", "created_at", "updated_at")


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(admin.ModelAdmin):
    list_display = ("coupon", "order_link", "customer_phone", "amount", "created_at")
    list_filter = ("created_at",)
    date_hierarchy = "created_at"
    search_fields = ("coupon__code", "order__order_number", "customer_phone")
    list_select_related = ("coupon", "order")
    readonly_fields = ("coupon", "order", "customer_phone", "amount", "created_at")

    @admin.display(description="Order", ordering="order__order_number")
    def order_link(self, redemption):
        return change_link(redemption.order, redemption.order.order_number)

    def has_add_permission(self, request):
        return False


@admin.register(DeliveryRate)
class DeliveryRateAdmin(admin.ModelAdmin):
    list_display = ("store", "state", "lga", "fee")
    list_filter = ("state",)
    search_fields = ("store__username", "state", "lga")
    list_select_related = ("store",)
    raw_id_fields = ("store",)


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(admin.ModelAdmin):
    list_display = ("store", "default_fee", "free_pickup", "free_delivery_threshold")
    search_fields = ("store__username",)
    raw_id_fields = ("store",)


@admin.register(OrderSource)
class OrderSourceAdmin(ReadOnlyAdmin):
    list_display = ("order", "channel", "created_at")
    list_filter = ("channel",)
    search_fields = ("order__order_number",)
    raw_id_fields = ("order",)


@admin.register(RecoverySettings)
class RecoverySettingsAdmin(ReadOnlyAdmin):
    list_display = (
        "store",
        "unpaid_reminders",
        "unpaid_delay_minutes",
        "expired_message",
        "abandoned_checkouts",
    )
    search_fields = ("store__username",)


@admin.register(RecoveryMessage)
class RecoveryMessageAdmin(ReadOnlyAdmin):
    """What recovery sent, to whom, and what it won back; written only by the recovery service."""

    list_display = ("key", "store", "kind", "email", "phone", "recovered_order", "recovered_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("key", "store__username", "email", "phone")
    list_select_related = ("store", "recovered_order")


@admin.register(AbandonedCheckout)
class AbandonedCheckoutAdmin(ReadOnlyAdmin):
    list_display = ("id", "store", "phone", "email", "consent_at", "order", "updated_at")
    search_fields = ("store__username", "phone", "email")
    list_select_related = ("store", "order")
    exclude = ("token",)  # the key of the shopper's session capture


@admin.register(RecoveryOptOut)
class RecoveryOptOutAdmin(ReadOnlyAdmin):
    list_display = ("address", "store", "created_at")
    search_fields = ("address", "store__username")
    list_select_related = ("store",)
