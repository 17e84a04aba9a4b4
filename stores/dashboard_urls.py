"""The merchant dashboard: /dashboard/… . Each app keeps its pages in its dashboard_urls."""

from django.urls import include, path

from stores import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("account/", include("accounts.dashboard_urls")),
    path("products/", include("catalog.dashboard_urls")),
    path("orders/", include("orders.dashboard_urls")),
    path("payments/", include("payments.dashboard_urls")),
    path("notifications/", include("notifications.dashboard_urls")),
]
