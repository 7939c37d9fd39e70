"""The bot trap: a hidden "do not follow" link and a hidden form field that people never see.

A client that follows the link or fills the field is refused for CONET_BOT_BLOCK_SECONDS and logged.
The block is kept in the cache (Redis when REDIS_URL is set, so every server process sees it) and
logged as a BlockedClient row for the admin.

Nobody but the client itself can spring the trap on it:
- the link carries a token signed for the page's reader (their address and user agent) that lasts
  TRAP_LINK_SECONDS, so `/trap/…` embedded in another page or an e-mail, or copied from someone
  else's page, is a plain 404;
- a request the browser marks as not a person following a link (Sec-Fetch-Dest other than
  "document", Sec-Fetch-Mode other than "navigate", Sec-Fetch-Site other than "same-origin": an
  <img>, a no-cors fetch, a link on another site) is a 404 too, token or not;
- the hidden field counts only on a POST that passed CSRF validation, so a cross-site form post is
  a CSRF 403 and bans nobody.
The block holds the client (address and user agent), never the address: on a school's shared Wi-Fi
one phone that walks into the trap does not lock out the room.
"""

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from conet.core.http import client_address
from conet.core.models import BlockedClient

logger = logging.getLogger("conet.bottrap")

TRAP_PATH = "/trap/"
HONEYPOT_FIELD = "homepage"
TRAP_LINK_SECONDS = 30 * 60
_SALT = "conet.core.bottrap.link"
_USER_AGENT_LENGTH = 500  # as BlockedClient keeps it, so the admin can lift a block from the row


def _client(address: str, user_agent: str) -> str:
    key = f"{address}\n{user_agent[:_USER_AGENT_LENGTH]}".encode()
    return hashlib.sha256(key).hexdigest()[:32]


def _request_client(request: HttpRequest) -> str:
    return _client(client_address(request), request.META.get("HTTP_USER_AGENT", ""))


def _cache_key(client: str) -> str:
    return f"bottrap:{client}"


def trap_link(request: HttpRequest) -> str:
    """The hidden link for this page's reader; it springs the trap for them alone, for a while."""
    token = signing.TimestampSigner(salt=_SALT).sign(_request_client(request))
    return f"{TRAP_PATH}{token}/"


def is_followed_by_its_reader(request: HttpRequest, token: str) -> bool:
    """Whether this request is the page's reader following their own hidden link, as a person or a
    crawler would, and not a third party's link, an embedded image or a script's fetch."""
    sent_by_browser = {
        "HTTP_SEC_FETCH_DEST": "document",
        "HTTP_SEC_FETCH_MODE": "navigate",
        "HTTP_SEC_FETCH_SITE": "same-origin",
    }
    for header, expected in sent_by_browser.items():
        if request.META.get(header, expected) != expected:
            return False
    try:
        client = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=TRAP_LINK_SECONDS)
    except signing.BadSignature:
        return False
    return client == _request_client(request)


def holds_the_hidden_field(request: HttpRequest) -> bool:
    return request.method == "POST" and bool(request.POST.get(HONEYPOT_FIELD))


def blocked_until(request: HttpRequest) -> datetime | None:
    """When the block on this client ends, or None when it is not blocked."""
    until = cache.get(_cache_key(_request_client(request)))
    if until is None:
        return None
    return until if isinstance(until, datetime) else timezone.now()


def is_blocked(request: HttpRequest) -> bool:
    return blocked_until(request) is not None


def block(request: HttpRequest, reason: str) -> BlockedClient:
    address = client_address(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    seconds = settings.CONET_BOT_BLOCK_SECONDS
    until = timezone.now() + timedelta(seconds=seconds)
    cache.set(_cache_key(_client(address, user_agent)), until, timeout=seconds)
    logger.warning(
        "bot trap: blocked %s for %ss (%s) on %s, user agent %r",
        address,
        seconds,
        reason,
        request.path,
        user_agent,
    )
    return BlockedClient.objects.create(
        address=address,
        reason=reason,
        path=request.path[:500],
        user_agent=user_agent[:_USER_AGENT_LENGTH],
        blocked_until=until,
    )


def unblock(blocked: BlockedClient) -> None:
    cache.delete(_cache_key(_client(blocked.address, blocked.user_agent)))
