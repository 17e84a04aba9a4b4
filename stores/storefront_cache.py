"""Whole-page cache of the storefront, invalidated per store by a version number.

Every cached page's key carries its store's current version; a write that changes what
shoppers see (store, product, stock) calls `storefront_cache_bump(store_id)`, which moves
the version on, so every page of that store misses and is rendered afresh while the old
entries age out. The username → store id mapping is cached for good: usernames never change
and are never reused (the column is unique, soft-deleted stores keep theirs).
"""

import hashlib
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from config.cache import CacheUnavailable

PAGE_TIMEOUT = getattr(settings, "STOREFRONT_CACHE_SECONDS", 600)
# Pages render their CSRF token as this placeholder; the real token is put in when served.
CSRF_PLACEHOLDER = "__storefront_csrf_token__"
# ... and the visitor's cart count as this one (orders/templatetags/cart.py).
CART_COUNT_PLACEHOLDER = "__storefront_cart_count__"
# ... and their CSP nonce (the brand colours' <style>): each response has its own.
NONCE_PLACEHOLDER = "__storefront_csp_nonce__"


# The count itself is the cart's (orders/cart.py), and orders sits above stores: it registers
# its counter here from its AppConfig.ready() (ARCHITECTURE.md, the hooks). No cart, no items.
CartCounter = Callable[..., int]
_cart_counters: list[CartCounter] = []


def cart_count_register(counter: CartCounter) -> None:
    """`counter(session, store_id=...)`: the visitor's item count in that store's cart."""
    if counter not in _cart_counters:
        _cart_counters.append(counter)


def cart_count(session, *, store_id) -> int:
    return sum(counter(session, store_id=store_id) for counter in _cart_counters)


def _version_key(store_id) -> str:
    return f"storefront:version:{store_id}"


def _store_id_key(username: str) -> str:
    return f"storefront:store-id:{username}"


def storefront_cache_bump(store_id) -> None:
    """Invalidates every cached page of the store.

    Call it from any write that changes what shoppers see. It bumps at once and again when
    the transaction commits: a page rendered from the old rows in between is dropped too.
    """
    _bump(store_id)
    transaction.on_commit(partial(_bump, store_id))


def _bump(store_id) -> None:
    key = _version_key(store_id)
    try:
        cache.incr(key)
    except ValueError:
        # A fresh version must never repeat one used before the key was evicted.
        cache.set(key, time.time_ns(), timeout=None)
    except CacheUnavailable:
        # Nothing is cached or served from the cache meanwhile; pages cached before the outage
        # may be shown until they age out (STOREFRONT_CACHE_SECONDS). Prices are always
        # re-read from the database at checkout.
        pass


def remember_store_id(username: str, store_id) -> None:
    cache.set(_store_id_key(username), str(store_id), timeout=None)


def known_store_id(username: str) -> str | None:
    return cache.get(_store_id_key(username))


def page_key(username: str, request) -> str | None:
    """The cache key of this page now, or None when the store's id is not known yet."""
    store_id = known_store_id(username)
    if store_id is None:
        return None
    version = cache.get(_version_key(store_id))
    if version is None:
        version = time.time_ns()
        if not cache.add(_version_key(store_id), version, timeout=None):
            version = cache.get(_version_key(store_id))
    query = "&".join(sorted(f"{k}={v}" for k, values in request.GET.lists() for v in values))
    digest = hashlib.blake2b(f"{request.path}?{query}".encode(), digest_size=16).hexdigest()
    return f"storefront:page:{store_id}:{version}:{digest}"


def page_get(key: str) -> bytes | None:
    return cache.get(key)


def page_set(key: str, content: bytes) -> None:
    cache.set(key, content, timeout=PAGE_TIMEOUT)
