"""Dashboard pages of the accounts app, under /dashboard/account/ (see stores/dashboard_urls.py)."""

from django.urls import path

from accounts import views

app_name = "accounts_dashboard"

urlpatterns = [
    path("", views.profile_view, name="profile"),
    path("settings/", views.settings_view, name="settings"),
    path("password/", views.password_change_view, name="password"),
    path("delete/", views.delete_account_view, name="delete"),
]
