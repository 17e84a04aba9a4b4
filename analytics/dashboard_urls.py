"""Analytics pages under /dashboard/analytics/ (see stores/dashboard_urls.py; the home is /dashboard/)."""

from django.urls import path

from analytics import views

app_name = "analytics_dashboard"

urlpatterns = [
    path("", views.report, name="reports"),
    path("<slug:report>/", views.report, name="report"),
    path("<slug:report>/export.csv", views.report_export, name="export"),
]
