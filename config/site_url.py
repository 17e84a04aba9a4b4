"""The base of every absolute URL the app builds: links in emails and SMS, image URLs, share
links, canonical tags, the API's pay links.

APP_URL wins when it is set. Otherwise the scheme and host of the request being served, so a
server started on another port or reached by a LAN address hands out links that work there.
Work done outside any request (Celery workers, management commands) falls back to
settings.SITE_URL: APP_URL or the embedded default on PORT.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_base: ContextVar[str | None] = ContextVar("request_base_url", default=None)


def site_url() -> str:
    if settings.APP_URL:
        return str(settings.APP_URL)
    return _request_base.get() or str(settings.SITE_URL)


class RequestSiteUrlMiddleware:
    """Records the base URL of the request for site_url() while the request is handled.

    It sits after CommonMiddleware, which has already refused a host outside ALLOWED_HOSTS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_base.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
