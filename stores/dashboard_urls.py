"""The merchant dashboard: /dashboard/… . Each app keeps its pages in its dashboard_urls."""

from django.urls import include, path, register_converter

from stores import share_views, theme_pages, views


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
    path("", include("analytics.home_urls")),
    path("analytics/", include("analytics.dashboard_urls")),
    path("stores/", views.store_list, name="store-list"),
    path("onboarding/", views.onboarding_business, name="onboarding"),
    path("onboarding/check-username", views.onboarding_username_check, name="onboarding-username-check"),
    path("onboarding/<store_id:store_id>/template/", views.onboarding_template, name="onboarding-template"),
    path("onboarding/<store_id:store_id>/branding/", views.onboarding_branding, name="onboarding-branding"),
    path("onboarding/<store_id:store_id>/product/", views.onboarding_product, name="onboarding-product"),
    path("", include("payments.onboarding_urls")),
    path("stores/<store_id:store_id>/settings/", views.store_settings, name="store-settings"),
    path("stores/<store_id:store_id>/status/", views.store_status, name="store-status"),
    path("stores/<store_id:store_id>/delete/", views.store_delete_page, name="store-delete"),
    path("stores/<store_id:store_id>/hours/", theme_pages.opening_hours_page, name="store-hours"),
    path(
        "stores/<store_id:store_id>/testimonials/", theme_pages.testimonials_page, name="store-testimonials"
    ),
    path(
        "stores/<store_id:store_id>/testimonials/<int:testimonial_id>/delete/",
        theme_pages.testimonial_delete_view,
        name="store-testimonial-delete",
    ),
    path("enquiries/", theme_pages.enquiry_list, name="enquiries"),
    path("enquiries/<store_id:enquiry_id>/", theme_pages.enquiry_mark_view, name="enquiry-mark"),
    path("share/", share_views.dashboard_share, name="share"),
    path("share/whatsapp-ordering", share_views.dashboard_whatsapp_ordering, name="share-whatsapp-ordering"),
    path("account/", include("accounts.dashboard_urls")),
    path("products/", include("catalog.dashboard_urls")),
    path("orders/", include("orders.dashboard_urls")),
    path("payments/", include("payments.dashboard_urls")),
    path("notifications/", include("notifications.dashboard_urls")),
]
