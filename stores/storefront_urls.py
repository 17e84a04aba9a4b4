"""The storefront: /<username>/… . Included last by config/urls.py."""

from django.urls import include, path
from django.views.generic import RedirectView

from stores import views

app_name = "storefront"

urlpatterns = [
    path("<slug:username>", views.storefront_home, name="home"),
    # Links shared on WhatsApp often gain a trailing slash: send them to the canonical URL.
    path("<slug:username>/", RedirectView.as_view(url="/%(username)s", permanent=True)),
    path("<slug:username>/about", views.storefront_about, name="about"),
    path("<slug:username>/p/<str:product_id>", views.storefront_product_page, name="product"),
    path("<slug:username>/enquire", views.storefront_enquire, name="enquire"),
    path("<slug:username>/", include("orders.storefront_urls")),
    path("<slug:username>/", include("payments.storefront_urls")),
    path("<slug:username>/<path:rest>", views.storefront_not_found, name="not-found"),
]
