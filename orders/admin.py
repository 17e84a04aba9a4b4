from django.contrib import admin

from orders.models import Order, OrderItem


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    readonly_fields = [
        "product",
        "product_name",
        "product_price",
        "quantity",
        "subtotal",
        "variant_selection",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "order_number",
        "store",
        "customer_name",
        "customer_phone",
        "total",
        "status",
        "payment_status",
        "created_at",
    ]
    list_filter = ["status", "payment_status", "created_at"]
    search_fields = ["order_number", "customer_name", "customer_phone", "customer_email", "store__username"]
    list_select_related = ["store"]
    date_hierarchy = "created_at"
    inlines = [OrderItemInline]
    # Totals and the items snapshot are what the shopper agreed to pay; they never change here.
    readonly_fields = [
        "id",
        "store",
        "order_number",
        "items",
        "subtotal",
        "discount",
        "shipping_fee",
        "agm_fee",
        "total",
        "payment_status",
        "created_at",
        "updated_at",
    ]
