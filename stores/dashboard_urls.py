"""The merchant dashboard: /dashboard/… . Each app keeps its pages in its dashboard_urls."""

from django.urls import include, path, register_converter

from stores import share_views, views


class StoreIdConverter:
    """A store id: a hyphenated UUID string, as the seed's CHAR(36) keys hold."""

    regex = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def to_python(self, value):
        return value.lower()

    def to_url(self, value):
        return str(value)


register_converter(StoreIdConverter, "store_id")

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("onboarding/", views.onboarding_business, name="onboarding"),
    path("onboarding/check-username", views.onboarding_username_check, name="onboarding-username-check"),
    path("onboarding/<store_id:store_id>/template/", views.onboarding_template, name="onboarding-template"),
    path("onboarding/<store_id:store_id>/branding/", views.onboarding_branding, name="onboarding-branding"),
    path("onboarding/<store_id:store_id>/product/", views.onboarding_product, name="onboarding-product"),
    path("onboarding/<store_id:store_id>/bank/", views.onboarding_bank, name="onboarding-bank"),
    path("stores/<store_id:store_id>/settings/", views.store_settings, name="store-settings"),
    path("stores/<store_id:store_id>/status/", views.store_status, name="store-status"),
    path("stores/<store_id:store_id>/delete/", views.store_delete_page, name="store-delete"),
    path("share/", share_views.dashboard_share, name="share"),
    path("share/whatsapp-ordering", share_views.dashboard_whatsapp_ordering, name="share-whatsapp-ordering"),
    path("account/", include("accounts.dashboard_urls")),
    path("products/", include("catalog.dashboard_urls")),
    path("orders/", include("orders.dashboard_urls")),
    path("payments/", include("payments.dashboard_urls")),
    path("notifications/", include("notifications.dashboard_urls")),
]
