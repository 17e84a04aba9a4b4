from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from catalog.models import Product
from catalog.services import product_moderate
from catalog.validation import PRODUCT_FIELDS


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class ProductAdminForm(forms.ModelForm):
    # the seed's columns are nullable; staff see plain checkboxes, never "unknown"
    is_active = forms.BooleanField(required=False)
    is_featured = forms.BooleanField(required=False)

    class Meta:
        model = Product
        fields = ["is_active", "is_featured"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Staff look after products; merchants own them. Staff may hide or feature a product,
    every other field is the merchant's to change (through the validated dashboard and API),
    and deleting is the merchant's soft delete, so neither add nor delete is offered."""

    form = ProductAdminForm
    list_display = ["name", "store_link", "price", "stock_quantity", "is_active", "is_featured", "created_at"]
    list_filter = ["is_active", "is_featured", DeletedFilter, "category", "created_at"]
    search_fields = ["name", "sku"]
    list_select_related = ["store"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = ["store", *PRODUCT_FIELDS, "view_count", "created_at", "updated_at", "deleted_at"]
    readonly_fields = [
        "store",
        *(field for field in PRODUCT_FIELDS if field not in ("is_active", "is_featured")),
        "view_count",
        "created_at",
        "updated_at",
        "deleted_at",
    ]

    @admin.display(description="Store", ordering="store__username")
    def store_link(self, product):
        try:
            url = reverse("admin:stores_store_change", args=[product.store_id])
        except NoReverseMatch:
            url = product.store.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, product.store.username)

    def save_model(self, request, obj, form, change):
        # through the service, so the cached storefront pages drop the product at once
        product_moderate(product_id=obj.pk, is_active=obj.is_active, is_featured=obj.is_featured)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
