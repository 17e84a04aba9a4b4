"""Middleware of our own."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from config.errors import NotFound


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
