from django.urls import path

from payments.api import pod, receipts, views

urlpatterns = [
    path("webhooks/monnify", views.MonnifyWebhookView.as_view(), name="monnify-webhook"),
    path("payments/verify/<str:reference>", views.PaymentVerifyView.as_view(), name="payment-verify"),
    path("payments/banks", views.BankListView.as_view(), name="banks"),
    path("receipts/<str:order_number>", receipts.ReceiptApi.as_view(), name="receipt"),
    path("verify/<str:code>", receipts.VerificationApi.as_view(), name="receipt-verify"),
    path(
        "payments/bank-accounts/resolve", views.BankAccountResolveView.as_view(), name="bank-account-resolve"
    ),
    path("payments/bank-accounts", views.BankAccountListView.as_view(), name="bank-accounts"),
    path(
        "payments/bank-accounts/<str:account_id>",
        views.BankAccountDetailView.as_view(),
        name="bank-account-detail",
    ),
    path("payments/balance", views.BalanceView.as_view(), name="balance"),
    path("payments/orders/<uuid:order_id>/balance", pod.OrderBalanceApi.as_view(), name="order-balance"),
    path("payments/payouts", views.PayoutListView.as_view(), name="payouts"),
    path("payments/payouts/<str:payout_id>", views.PayoutDetailView.as_view(), name="payout-detail"),
    path("payments", views.PaymentListView.as_view(), name="payments"),
    path("payments/<uuid:payment_id>", views.PaymentDetailView.as_view(), name="payment-detail"),
    path("payments/<uuid:payment_id>/refund", views.PaymentRefundView.as_view(), name="payment-refund"),
]
