"""Who may see an order's personal details on the public tracking page and endpoint.

Order numbers are random, but a known number plus guessed phone numbers would reveal a
shopper's address: wrong guesses are counted per order and cut off after a few. While Redis
is down the guesses are not counted (the limit fails open, README "Operations and failure
modes"): tracking is how shoppers follow an order, and a guess still needs the order number.
"""

import contextlib

from django.conf import settings
from django.core.cache import cache

from accounts.throttles import throttle_hit
from config.cache import CacheUnavailable
from config.errors import RateLimited
from orders.models import Order
from orders.selectors import order_contact_matches

WRONG_GUESSES_ALLOWED = 10
GUESS_WINDOW_SECONDS = 3600


def track_lookup_throttle(*, ip: str) -> None:
    """Count one lookup by number from `ip`; RateLimited past TRACK_LOOKUPS_PER_MINUTE."""
    throttle_hit(scope="orders:track-lookup", who=ip, limit=settings.TRACK_LOOKUPS_PER_MINUTE)


def track_contact_check(*, order: Order, contact: str) -> bool:
    key = f"orders:track-wrong-guesses:{order.pk}"
    if (cache.get(key) or 0) >= WRONG_GUESSES_ALLOWED:
        raise RateLimited(
            "Too many wrong phone numbers or emails for this order. Try again in an hour.",
            retry_after=GUESS_WINDOW_SECONDS,
        )
    if order_contact_matches(order, contact):
        return True
    cache.add(key, 0, GUESS_WINDOW_SECONDS)
    with contextlib.suppress(CacheUnavailable, ValueError):  # not counted: see the docstring
        cache.incr(key)
    return False
