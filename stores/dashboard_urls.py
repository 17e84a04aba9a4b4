"""The merchant dashboard: /dashboard/… ."""

from django.urls import path

from stores import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_home, name="home"),
]
