from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from config.admin import ReadOnlyAdmin
from config.site_url import site_url
from stores.models import Store, WhatsAppOrdering
from stores.storefront_cache import storefront_cache_bump


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("display_name", "storefront_link", "owner_link", "template_id", "is_active", "created_at")
    list_filter = ("template_id", "is_active", ("deleted_at", admin.EmptyFieldListFilter), "category")
    search_fields = ("display_name", "username", "user__email", "user__full_name")
    list_select_related = ("user",)
    readonly_fields = ("id", "username", "created_at", "updated_at")
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    @admin.display(description="Username", ordering="username")
    def storefront_link(self, store):
        return format_html(
            '<a href="{}{}" target="_blank" rel="noopener">/{}</a>',
            site_url(),
            store.get_absolute_url(),
            store.username,
        )

    @admin.display(description="Owner", ordering="user__email")
    def owner_link(self, store):
        meta = store.user._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[store.user_id])
        except NoReverseMatch:  # the user admin is not registered
            return store.user.email
        return format_html('<a href="{}">{}</a>', url, store.user.email)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        storefront_cache_bump(obj.pk)


@admin.register(WhatsAppOrdering)
class WhatsAppOrderingAdmin(ReadOnlyAdmin):
    """Merchants switch it in the share kit, where the service checks the WhatsApp number."""

    list_display = ("store", "enabled", "updated_at")
    list_filter = ("enabled",)
    search_fields = ("store__username", "store__display_name")
    raw_id_fields = ("store",)
