"""How fast the live board takes writes: a phone that floods it, or a script that makes participants
in a loop, is refused; a real Future Workshop never meets these limits.

Per participant, in a minute: cards (CONET_BOARD_CARDS_PER_MINUTE), dots placed or taken back
(CONET_BOARD_DOTS_PER_MINUTE) and every other write — moving a card, a proposal, signing up to help
(CONET_BOARD_WRITES_PER_MINUTE). Per client address and workshop, in ten minutes: new participants
(CONET_BOARD_JOINS_PER_ADDRESS), sized so that a school class behind one Wi-Fi address joins.
0 turns a limit off. Facilitators write through their own pages and are never counted.

A window opens with the first write it counts and lasts its length: a burst up to the limit goes
through at once (a phone back online sends what it kept), then the writer waits until the window
ends. The counters live in the cache — Redis when REDIS_URL is set, so every server process counts
the same writes.
"""

import contextlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from conet.workshops.rules import BoardRefusal

log = logging.getLogger(__name__)

# kind → (setting, window in seconds)
LIMITS: dict[str, tuple[str, int]] = {
    "card": ("CONET_BOARD_CARDS_PER_MINUTE", 60),
    "dot": ("CONET_BOARD_DOTS_PER_MINUTE", 60),
    "write": ("CONET_BOARD_WRITES_PER_MINUTE", 60),
    "join": ("CONET_BOARD_JOINS_PER_ADDRESS", 600),
}


class TooFast(BoardRefusal):
    """Over a limit; nothing was stored. `retry_after`: seconds until the window ends."""

    def __init__(self, message, retry_after: int):
        super().__init__("too_fast", message)
        self.retry_after = retry_after


def count_write(participant_id: int, action: str) -> None:
    """Count one more write of a participant (`action` as in rules.PHASE_FEATURES)."""
    kind = action if action in ("card", "dot") else "write"
    _count(
        kind,
        f"workshops:pace:{kind}:{participant_id}",
        _("You are writing faster than a workshop needs: wait a few seconds."),
    )


def count_join(workshop_id: int, address: str) -> None:
    """Count one more participant joining a workshop from a client address."""
    _count(
        "join",
        f"workshops:joins:{workshop_id}:{address}",
        _("Many phones have just joined from this network: wait a few minutes and try again."),
    )


def _count(kind: str, key: str, message) -> None:
    setting, seconds = LIMITS[kind]
    limit = int(getattr(settings, setting))
    if limit <= 0:
        return
    now = time.time()
    # add() only opens a window where none is open; incr() is atomic in Redis and in locmem, so
    # two server processes counting at once never both take the last place.
    if cache.add(key, 0, timeout=seconds):
        cache.set(f"{key}:ends", now + seconds, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        cache.set(f"{key}:ends", now + seconds, timeout=seconds)
        return
    if used > limit:
        if cache.add(f"{key}:logged", 1, timeout=seconds):  # the window's first refusal
            log.warning("workshop board limit reached: %s (%d in %d s)", key, limit, seconds)
        # A refused write takes no place: the writer gets in as soon as the window ends.
        with contextlib.suppress(ValueError):  # unless the window has just ended anyway
            cache.decr(key)
        ends = cache.get(f"{key}:ends") or now + seconds
        raise TooFast(message, retry_after=max(1, math.ceil(ends - now)))
