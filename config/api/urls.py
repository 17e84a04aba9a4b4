from django.urls import include, path

from config.api.views import HealthView

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("", include("accounts.api.urls")),
    path("", include("stores.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("payments.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("analytics.api.urls")),
]
