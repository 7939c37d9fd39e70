"""The bot trap: a hidden "do not follow" link and a hidden form field that people never see.

A client that follows the link or fills the field is refused for CONET_BOT_BLOCK_SECONDS and logged.
The block is kept in the cache (Redis when REDIS_URL is set, so every server process sees it) and
logged as a BlockedClient row for the admin.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from conet.core.http import client_address
from conet.core.models import BlockedClient

logger = logging.getLogger("conet.bottrap")

TRAP_PATH = "/trap/"
HONEYPOT_FIELD = "homepage"


def _cache_key(address: str) -> str:
    return f"bottrap:{address}"


def is_blocked(request: HttpRequest) -> bool:
    return cache.get(_cache_key(client_address(request))) is not None


def block(request: HttpRequest, reason: str) -> BlockedClient:
    address = client_address(request)
    seconds = settings.CONET_BOT_BLOCK_SECONDS
    cache.set(_cache_key(address), reason, timeout=seconds)
    logger.warning(
        "bot trap: blocked %s for %ss (%s) on %s, user agent %r",
        address,
        seconds,
        reason,
        request.path,
        request.META.get("HTTP_USER_AGENT", ""),
    )
    return BlockedClient.objects.create(
        address=address,
        reason=reason,
        path=request.path[:500],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        blocked_until=timezone.now() + timedelta(seconds=seconds),
    )


def unblock(address: str) -> None:
    cache.delete(_cache_key(address))
