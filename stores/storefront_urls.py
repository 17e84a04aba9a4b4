"""The storefront: /<username>/… . Included last by config/urls.py."""

from django.urls import include, path

from stores import views

app_name = "storefront"

urlpatterns = [
    path("<slug:username>", views.storefront_home, name="home"),
    path("<slug:username>/", include("orders.storefront_urls")),
    path("<slug:username>/", include("payments.storefront_urls")),
]
