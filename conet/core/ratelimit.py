"""One fixed-window counter for every limit CoNet keeps per person, device or client address.

Time is cut into windows of `seconds` on the clock (a minute, ten minutes, an hour); up to `limit`
hits pass in a window, the rest are refused until the next one begins. The counters live in the cache — Redis when REDIS_URL is set, so every
server process counts the same hits; add() and incr() are atomic there (and in locmem), so two
processes counting at once never both take the last place.
"""

import contextlib
import time

from django.core.cache import cache


def within_limit(key: str, limit: int, seconds: int, *, refund: bool = False) -> bool:
    """Count one more hit for `key`; False once the window holds more than `limit`.

    A limit of 0 or less is no limit. With `refund`, a refused hit is not counted, so the window's
    count stays the number of hits that passed.
    """
    if limit <= 0:
        return True
    window_key = f"ratelimit:{key}:{int(time.time() // seconds)}"
    if cache.add(window_key, 1, timeout=seconds + 1):
        return True
    try:
        used = cache.incr(window_key)
    except ValueError:  # the window ran out between add() and incr()
        cache.add(window_key, 1, timeout=seconds + 1)
        return True
    if used <= limit:
        return True
    if refund:
        with contextlib.suppress(ValueError):
            cache.decr(window_key)
    return False
