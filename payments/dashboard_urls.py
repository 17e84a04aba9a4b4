"""Dashboard pages of the payments app, under /dashboard/ (see stores/dashboard_urls.py)."""

app_name = "payments_dashboard"

urlpatterns: list = []
