"""The built-in Monnify simulator's pages, under /simulator/ (404 unless the simulator is on)."""

from django.urls import path

from payments import views

urlpatterns = [
    path("monnify/checkout/<str:transaction_reference>", views.simulator_checkout, name="simulator-checkout"),
]
