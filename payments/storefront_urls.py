"""Storefront pages of the payments app, under /<username>/ (see stores/storefront_urls.py)."""

from django.urls import path

from payments import receipt_views, views

app_name = "payments_storefront"

urlpatterns = [
    path("pay/<str:reference>", views.payment_page, name="pay"),
    path("pay/<str:reference>/retry", views.payment_retry, name="pay-retry"),
    path("pay/<str:reference>/card", views.payment_checkout, name="pay-checkout"),
    path("pay/<str:reference>/simulate", views.payment_simulate, name="pay-simulate"),
    path("orders/<str:order_number>/receipt", receipt_views.receipt_page, name="receipt"),
    path("orders/<str:order_number>/receipt.pdf", receipt_views.receipt_pdf_download, name="receipt-pdf"),
]
