"""The dashboard home, /dashboard/, named dashboard:home: included by stores/dashboard_urls.py
by its dotted path, so the stores app never imports analytics (a higher layer)."""

from django.urls import path

from analytics import views

urlpatterns = [path("", views.dashboard_home, name="home")]
