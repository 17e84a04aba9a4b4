"""Order tracking for shoppers, under /track/."""

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("<str:order_number>", views.track_page, name="track"),
]
