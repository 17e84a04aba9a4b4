from django.urls import path

from payments.api import views

urlpatterns = [
    path("webhooks/monnify", views.MonnifyWebhookView.as_view(), name="monnify-webhook"),
    path("payments/verify/<str:reference>", views.PaymentVerifyView.as_view(), name="payment-verify"),
]
