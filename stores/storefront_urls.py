"""The storefront: /<username>/… . Included last by config/urls.py."""

from django.urls import path

from stores import views

app_name = "storefront"

urlpatterns = [
    path("<slug:username>", views.storefront_home, name="home"),
    path("<slug:username>/", views.storefront_home),
]
