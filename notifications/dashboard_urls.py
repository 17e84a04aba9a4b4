"""Dashboard pages of the notifications app, under /dashboard/notifications/."""

from django.urls import path

from notifications import views

app_name = "notifications_dashboard"

urlpatterns = [
    path("", views.notification_index, name="list"),
    path("alerts/", views.alert_preferences, name="alerts"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<str:notification_id>/read/", views.notification_read, name="read"),
]
