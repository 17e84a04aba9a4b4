"""Onboarding's bank step, included without a namespace by stores/dashboard_urls.py so its name
stays `dashboard:onboarding-bank` (the `store_id` converter is registered there)."""

from django.urls import path

from payments import onboarding_views

urlpatterns = [
    path("onboarding/<store_id:store_id>/bank/", onboarding_views.onboarding_bank, name="onboarding-bank"),
]
