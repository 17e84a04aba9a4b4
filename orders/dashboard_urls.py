"""Dashboard pages of the orders app, under /dashboard/ (see stores/dashboard_urls.py)."""

app_name = "orders_dashboard"

urlpatterns: list = []
