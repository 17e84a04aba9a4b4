"""Gzip for the shopper's HTML, kept away from pages where BREACH could matter.

BREACH reads a secret out of a compressed page by reflecting guesses into the same page and
watching its size. Shopper pages carry no secret that such a guess could target: Django masks
the CSRF token afresh on every response, and what a shopper sees (prices, the transfer account
they are asked to pay into) is not secret. POST responses are left alone (they can echo what
was sent, beside a verified shopper's details on the tracking page), and so are the merchant
dashboard, sign-in pages, admin and the API, which show private data beside search input.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

UNCOMPRESSED_PREFIXES = ("/dashboard/", "/auth/", "/admin/", "/api/")


class ShopperGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or request.path.startswith(UNCOMPRESSED_PREFIXES):
            return response
        return super().process_response(request, response)
