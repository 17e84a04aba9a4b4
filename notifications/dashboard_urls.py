"""Dashboard pages of the notifications app, under /dashboard/ (see stores/dashboard_urls.py)."""

app_name = "notifications_dashboard"

urlpatterns: list = []
