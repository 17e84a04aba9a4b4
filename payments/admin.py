from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from payments.models import BankAccount, Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "payment_reference",
        "order_link",
        "amount",
        "currency",
        "status",
        "payment_method",
        "paid_at",
        "created_at",
    ]
    list_filter = ["status", "payment_method", "currency", "created_at"]
    search_fields = ["payment_reference", "monnify_reference", "order__order_number", "account_number"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    # Money and provider references come from Monnify; editing them here would corrupt the books.
    readonly_fields = [
        "id",
        "order",
        "user",
        "amount",
        "currency",
        "payment_reference",
        "monnify_reference",
        "account_number",
        "account_name",
        "bank_name",
        "metadata",
        "paid_at",
        "expires_at",
        "created_at",
        "updated_at",
    ]

    @admin.display(description="Order", ordering="order__order_number")
    def order_link(self, payment):
        url = reverse("admin:orders_order_change", args=[payment.order_id])
        return format_html('<a href="{}">{}</a>', url, payment.order.order_number)

    def has_add_permission(self, request):
        return False


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = [
        "account_name",
        "account_number",
        "bank_name",
        "user",
        "is_verified",
        "is_primary",
        "deleted_at",
    ]
    list_filter = ["is_verified", "is_primary", "bank_name"]
    search_fields = ["account_name", "account_number", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "id",
        "user",
        "account_number",
        "account_name",
        "bank_code",
        "bank_name",
        "is_verified",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False
