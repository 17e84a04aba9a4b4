"""Every analytics page and API endpoint, from the app's own definitions: the query-count test
(tests/analytics/test_budgets.py) and the benchmark (bench/analytics.py) both cover these.

A plain module (no pytest) so the bench can import it."""

from analytics.api.urls import urlpatterns as api_urlpatterns
from analytics.views import REPORTS

HOME = "/dashboard/"


def report_path(slug: str) -> str:
    return f"/dashboard/analytics/{slug}/"


# The reports' slugs, as /dashboard/analytics/<slug>/ serves them.
REPORT_SLUGS = tuple(REPORTS)
# /api/v1/analytics/dashboard, …/revenue, …/products/top, …/customers, …/orders
API_PATHS = tuple(f"/api/v1/{route.pattern}" for route in api_urlpatterns)
