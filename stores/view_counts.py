"""Product views counted in the cache and written to `products.view_count` in batches.

A product page increments a counter in Redis and marks the product as pending; the beat
task `flush_product_views` moves the pending counts to the database, one UPDATE per viewed
product, so a busy storefront never writes to the database per request.

On Redis the counter and the pending set change in one MULTI, and the flush takes each
count with GETDEL: a view that lands during a flush is counted in the next one. Other cache
backends (the local-memory default of `make run`) keep the pending ids in a cache entry,
which is exact within one process, the only way that backend runs.

Views that land while Redis is down are not counted (view counts are a statistic, never shown
to shoppers); the page is served as usual.
"""

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from config.cache import CACHE_ERRORS, cache_down_noted, cache_is_down

PENDING_KEY = "storefront:views:pending"
FLUSH_BATCH = 500


def _count_key(product_id) -> str:
    return f"storefront:views:{product_id}"


def _redis():
    # `cache` is a proxy (ConnectionProxy) to the backend: the type check needs the backend itself.
    backend = caches["default"]
    return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None


def product_view_record(*, product_id, count: int = 1) -> None:
    client = _redis()
    if client is not None:
        if cache_is_down():
            return
        pipe = client.pipeline(transaction=True)
        pipe.incrby(cache.make_and_validate_key(_count_key(product_id)), count)
        pipe.sadd(cache.make_and_validate_key(PENDING_KEY), str(product_id))
        try:
            pipe.execute()
        except CACHE_ERRORS as error:
            cache_down_noted(error)
        return
    key = _count_key(product_id)
    if not cache.add(key, count, timeout=None):
        cache.incr(key, count)
    pending = cache.get(PENDING_KEY, set())
    pending.add(str(product_id))
    cache.set(PENDING_KEY, pending, timeout=None)


def pending_views_take(*, limit: int = FLUSH_BATCH) -> dict[str, int]:
    """Removes up to `limit` pending counts from the cache and returns them by product id."""
    client = _redis()
    taken: dict[str, int] = {}
    if client is not None:
        ids = client.spop(cache.make_and_validate_key(PENDING_KEY), limit) or []
        for raw_id in ids:
            product_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
            value = client.getdel(cache.make_and_validate_key(_count_key(product_id)))
            if value:
                taken[product_id] = int(value)
        return taken
    pending = cache.get(PENDING_KEY, set())
    for product_id in list(pending)[:limit]:
        pending.discard(product_id)
        count = cache.get(_count_key(product_id))
        cache.delete(_count_key(product_id))
        if count:
            taken[product_id] = int(count)
    cache.set(PENDING_KEY, pending, timeout=None)
    return taken


def pending_views_restore(counts: dict[str, int]) -> None:
    """Puts counts back after a failed flush, so no view is lost."""
    for product_id, count in counts.items():
        product_view_record(product_id=product_id, count=count)
