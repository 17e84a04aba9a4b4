"""Middleware of our own."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from config.api.exceptions import json_error
from config.api.parsers import too_large_message
from config.errors import NotFound, RateLimited


class NotFoundMiddleware:
    """A `NotFound` that leaves an HTML view is the 404 page, wherever it was raised.

    Selectors and services raise `config.errors.NotFound` (another merchant's id, a deleted
    store); they know nothing of HTTP. The API's exception handler turns it into the 404
    envelope; this does the same for pages, so no view catches it just to re-raise Http404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        return None


class BodySizeLimitMiddleware:
    """Refuses a body larger than its endpoint accepts with a 413, before anything reads it.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files or a JSON
    body that DRF streams itself, so a declared length is checked here against the view's
    `max_body_bytes` (the API's JSON parser checks the bytes it actually reads the same way).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > 0:
            limit = request_body_limit(request)
            if declared > limit:
                return too_large_response(request, limit)
        return self.get_response(request)


def request_body_limit(request: HttpRequest) -> int:
    api = request.path_info.startswith("/api/")
    default = int(settings.API_MAX_BODY_BYTES if api else settings.REQUEST_MAX_BODY_BYTES)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return default
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    return int(getattr(view, "max_body_bytes", default))


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    message = too_large_message(limit)
    if request.path_info.startswith("/api/"):
        return json_error(message, "request_too_large", 413)
    return render(request, "storefront/413.html", {"message": message}, status=413)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on one person's pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path_info.startswith(settings.NO_STORE_PATH_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response


class RateLimitedPageMiddleware:
    """A `RateLimited` that leaves an HTML view is the friendly 429 page, with Retry-After.

    The API's exception handler answers the same refusal in the envelope.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        response = render(request, "storefront/429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
