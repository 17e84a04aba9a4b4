from django.urls import path

from notifications.api import views

urlpatterns = [
    path("notifications", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/unread-count",
        views.NotificationUnreadCountView.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/alert-settings", views.AlertSettingsView.as_view(), name="notification-alert-settings"
    ),
    path("notifications/read-all", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path(
        "notifications/<str:notification_id>/read",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
