"""Platform-level pages: error handlers, robots.txt, the API's health check, metrics."""

import hmac
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from config.api.exceptions import HTTP_ERRORS, json_error
from config.celery import app as celery_app
from config.metrics import metrics_exposition
from config.site_url import site_url

logger = logging.getLogger(__name__)


def _area(request: HttpRequest) -> str:
    """Whose error page: the dashboard's, a store's (a shopper's page), or the platform's."""
    if request.path.startswith("/dashboard/"):
        return "dashboard"
    # A view that knows better says so (a deep path under no store is the platform's).
    area = getattr(request, "error_page_area", None)
    if area:
        return str(area)
    match = getattr(request, "resolver_match", None)
    if request.path.startswith("/track/") or (match and match.namespace.startswith("storefront")):
        return "storefront"
    return "platform"


def _error(request: HttpRequest, status_code: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        message, code = HTTP_ERRORS[status_code]
        return json_error(message, code, status_code)
    return render(request, f"{_area(request)}/{status_code}.html", status=status_code)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale CSRF token: the area's 403 page (the storefront's
    says to reload the form), not Django's bare one, whose inline style the CSP blocks."""
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _error(request, 500)
    # The 500 page renders without context processors: the database may be the failure.
    from django.template import loader

    # the page's one <style> carries the CSP nonce, when the CSP middleware got that far
    context = {"csp_nonce": getattr(request, "csp_nonce", "")}
    return HttpResponse(loader.get_template(f"{_area(request)}/500.html").render(context), status=500)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /dashboard/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /auth/",
        f"Sitemap: {site_url()}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' scrape, for operators only: `Authorization: Bearer <METRICS_TOKEN>` or staff.

    Anyone else is told there is nothing here (404); a wrong token is refused (403), so an
    operator with a stale token can tell the two apart.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        expected = settings.METRICS_TOKEN
        if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise PermissionDenied("Wrong metrics token")
    elif not request.user.is_staff:
        raise Http404("No such page")
    return HttpResponse(metrics_exposition(celery_app), content_type=CONTENT_TYPE_LATEST)
