"""Platform-level pages: error handlers, robots.txt, and the API's health check."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.api.exceptions import HTTP_ERRORS, json_error

logger = logging.getLogger(__name__)


def _error(request, status_code: int):
    if request.path.startswith("/api/"):
        message, code = HTTP_ERRORS[status_code]
        return json_error(message, code, status_code)
    area = "dashboard" if request.path.startswith("/dashboard/") else "storefront"
    return render(request, f"{area}/{status_code}.html", status=status_code)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _error(request, 500)
    # The 500 page renders without context processors: the database may be the failure.
    from django.template import loader

    area = "dashboard" if request.path.startswith("/dashboard/") else "storefront"
    # the page's one <style> carries the CSP nonce, when the CSP middleware got that far
    context = {"csp_nonce": getattr(request, "csp_nonce", "")}
    return HttpResponse(loader.get_template(f"{area}/500.html").render(context), status=500)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /dashboard/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /auth/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.set("health:probe", "ok", timeout=5)
    if cache.get("health:probe") != "ok":
        raise RuntimeError("cache did not return what was written")


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return "ok"
