"""Order tracking for shoppers, under /track/."""

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.track_lookup_page, name="lookup"),
    path("<str:order_number>", views.track_page, name="track"),
]
