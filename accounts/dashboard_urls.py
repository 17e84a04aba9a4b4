"""Dashboard pages of the accounts app, under /dashboard/ (see stores/dashboard_urls.py)."""

app_name = "accounts_dashboard"

urlpatterns: list = []
