"""Dashboard pages of the payments app, under /dashboard/payments/ (see stores/dashboard_urls.py)."""

from django.urls import path

from payments import pod_views, views

app_name = "payments_dashboard"

urlpatterns = [
    path("", views.payments_overview, name="overview"),
    path("bank-accounts/", views.bank_accounts, name="bank-accounts"),
    path("<uuid:payment_id>/refund", views.payment_refund, name="payment-refund"),
    path("orders/<uuid:order_id>/balance/cash", pod_views.pod_balance_cash, name="pod-balance-cash"),
    path("orders/<uuid:order_id>/balance/account", pod_views.pod_balance_account, name="pod-balance-account"),
    path(
        "bank-accounts/<str:account_id>/primary", views.bank_account_make_primary, name="bank-account-primary"
    ),
    path("bank-accounts/<str:account_id>/delete", views.bank_account_delete, name="bank-account-delete"),
]
