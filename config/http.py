"""Facts about the HTTP request that depend on how the app is deployed."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, for per-IP limits and the webhook allow-list.

    With TRUSTED_PROXY_COUNT = N > 0 (N proxies in front of the app, each appending the address
    it saw to X-Forwarded-For), it is the Nth entry from the right: entries further left are
    whatever the client claimed. With 0 (no proxy) X-Forwarded-For is ignored, since anyone could
    set it to escape the limits, and it is REMOTE_ADDR.
    """
    meta = request.META
    trusted_proxies: int = settings.TRUSTED_PROXY_COUNT
    if trusted_proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted_proxies:
            return str(forwarded[-trusted_proxies])
    remote: str = meta.get("REMOTE_ADDR", "")
    return remote
