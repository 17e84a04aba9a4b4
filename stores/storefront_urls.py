"""The storefront: /<username>/… . Included last by config/urls.py."""

from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from stores import share_views, views


class ProductSlugConverter:
    """A short link's slug, `<name>-<8 hex of the id>` (stores/presentation.py). A product id
    (a UUID ends with 12 hex characters after its last hyphen) never matches it."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ProductSlugConverter, "product_slug")

app_name = "storefront"

urlpatterns = [
    path("<slug:username>", views.storefront_home, name="home"),
    # Links shared on WhatsApp often gain a trailing slash: send them to the canonical URL.
    path("<slug:username>/", RedirectView.as_view(url="/%(username)s", permanent=True)),
    path("<slug:username>/about", views.storefront_about, name="about"),
    path("<slug:username>/qr.png", share_views.store_qr_png, name="qr-png"),
    path("<slug:username>/qr.svg", share_views.store_qr_svg, name="qr-svg"),
    path("<slug:username>/p/<product_slug:slug>", share_views.product_short_page, name="product-short"),
    path("<slug:username>/p/<str:product_id>", views.storefront_product_page, name="product"),
    path("<slug:username>/p/<str:product_id>/qr.png", share_views.product_qr_png, name="product-qr"),
    path("<slug:username>/p/<str:product_id>/og.png", share_views.product_og_png, name="product-og"),
    path("<slug:username>/enquire", views.storefront_enquire, name="enquire"),
    path("<slug:username>/", include("orders.storefront_urls")),
    path("<slug:username>/", include("payments.storefront_urls")),
    path("<slug:username>/<path:rest>", views.storefront_not_found, name="not-found"),
]
