"""Storefront pages of the payments app, under /<username>/ (see stores/storefront_urls.py)."""

from django.urls import path

from payments import views

app_name = "payments_storefront"

urlpatterns = [
    path("pay/<str:reference>", views.payment_page, name="pay"),
    path("pay/<str:reference>/retry", views.payment_retry, name="pay-retry"),
    path("pay/<str:reference>/card", views.payment_checkout, name="pay-checkout"),
    path("pay/<str:reference>/simulate", views.payment_simulate, name="pay-simulate"),
]
