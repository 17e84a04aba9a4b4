"""Dashboard pages of the orders app, under /dashboard/orders/ (see stores/dashboard_urls.py)."""

from django.urls import path

from orders import pod_views, recovery_views, views, whatsapp_views

app_name = "orders_dashboard"

urlpatterns = [
    path("", views.dashboard_order_list, name="list"),
    path("export.csv", views.dashboard_order_export, name="export"),
    path("exports/<str:token>.csv", views.dashboard_order_export_download, name="export_download"),
    path("customers", views.dashboard_customers, name="customers"),
    path("recovery", recovery_views.dashboard_recovery, name="recovery"),
    path("new", recovery_views.dashboard_payment_request, name="payment-request"),
    path("delivery", views.dashboard_delivery, name="delivery"),
    path("pay-on-delivery", pod_views.dashboard_pod_settings, name="pod-settings"),
    path("delivery/rates/<int:rate_id>/delete", views.dashboard_delivery_rate_delete, name="rate-delete"),
    path("coupons", views.dashboard_coupons, name="coupons"),
    path("coupons/<int:coupon_id>", views.dashboard_coupon_edit, name="coupon-edit"),
    path("coupons/<int:coupon_id>/delete", views.dashboard_coupon_delete, name="coupon-delete"),
    path("<uuid:order_id>", views.dashboard_order_detail, name="detail"),
    path("<uuid:order_id>/invoice", views.dashboard_order_invoice, name="invoice"),
    path("<uuid:order_id>/status", views.dashboard_order_status, name="status"),
    path("<uuid:order_id>/cancel", views.dashboard_order_cancel, name="cancel"),
    path("<uuid:order_id>/whatsapp", whatsapp_views.dashboard_order_whatsapp, name="whatsapp"),
    path("<uuid:order_id>/whatsapp/open", whatsapp_views.dashboard_order_whatsapp_open, name="whatsapp-open"),
    path(
        "<uuid:order_id>/send-pay-link",
        recovery_views.dashboard_payment_request_send,
        name="send-pay-link",
    ),
]
