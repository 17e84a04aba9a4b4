"""Dashboard pages of the catalog app, under /dashboard/ (see stores/dashboard_urls.py)."""

app_name = "catalog_dashboard"

urlpatterns: list = []
