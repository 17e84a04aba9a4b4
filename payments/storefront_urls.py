"""Storefront pages of the payments app, under /<username>/ (see stores/storefront_urls.py)."""

app_name = "payments_storefront"

urlpatterns: list = []
