from django.urls import path

from orders.api import payment_requests, pod, recovery, views, whatsapp

urlpatterns = [
    path("orders", views.OrderListCreateApi.as_view(), name="orders-api-list"),
    path("orders/customers", views.CustomerListApi.as_view(), name="orders-api-customers"),
    path("orders/export", views.OrderExportApi.as_view(), name="orders-api-export"),
    path("orders/whatsapp", whatsapp.WhatsAppOrderApi.as_view(), name="orders-api-whatsapp"),
    path("orders/track/<str:order_number>", views.OrderTrackApi.as_view(), name="orders-api-track"),
    path("orders/delivery-rates", views.DeliveryRateListApi.as_view(), name="orders-api-delivery-rates"),
    path(
        "orders/delivery-rates/<int:rate_id>",
        views.DeliveryRateDetailApi.as_view(),
        name="orders-api-delivery-rate",
    ),
    path(
        "orders/delivery-settings/<str:store_id>",
        views.DeliverySettingsApi.as_view(),
        name="orders-api-delivery-settings",
    ),
    path(
        "orders/pay-on-delivery/<str:store_id>", pod.PodSettingsApi.as_view(), name="orders-api-pod-settings"
    ),
    path(
        "orders/recovery/settings/<str:store_id>",
        recovery.RecoverySettingsApi.as_view(),
        name="orders-api-recovery-settings",
    ),
    path(
        "orders/recovery/summary", recovery.RecoverySummaryApi.as_view(), name="orders-api-recovery-summary"
    ),
    path(
        "orders/recovery/unsubscribe",
        recovery.RecoveryUnsubscribeApi.as_view(),
        name="orders-api-recovery-unsubscribe",
    ),
    path(
        "orders/checkouts/<slug:username>",
        recovery.CheckoutCaptureApi.as_view(),
        name="orders-api-checkout-capture",
    ),
    path(
        "orders/payment-requests",
        payment_requests.PaymentRequestCreateApi.as_view(),
        name="orders-api-payment-requests",
    ),
    path("orders/coupons", views.CouponListApi.as_view(), name="orders-api-coupons"),
    path("orders/coupons/<int:coupon_id>", views.CouponDetailApi.as_view(), name="orders-api-coupon"),
    path("orders/<uuid:order_id>", views.OrderDetailApi.as_view(), name="orders-api-detail"),
    path("orders/<uuid:order_id>/status", views.OrderStatusApi.as_view(), name="orders-api-status"),
    path(
        "orders/<uuid:order_id>/pay-link",
        payment_requests.PayLinkSendApi.as_view(),
        name="orders-api-pay-link",
    ),
    path("orders/<uuid:order_id>/cancel", views.OrderCancelApi.as_view(), name="orders-api-cancel"),
    path(
        "orders/<uuid:order_id>/whatsapp-messages",
        whatsapp.OrderWhatsAppMessagesApi.as_view(),
        name="orders-api-whatsapp-messages",
    ),
]
