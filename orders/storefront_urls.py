"""Storefront pages of the orders app, under /<username>/ (see stores/storefront_urls.py)."""

app_name = "orders_storefront"

urlpatterns: list = []
