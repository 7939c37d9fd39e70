"""Every write about follows: asking to follow (an e-mail, nothing stored), confirming, leaving,
and the digest of what happened.

Double opt-in without a pending row: the request travels only inside the confirmation link, signed
with the site's key (django.core.signing) and valid for CONET_FOLLOW_CONFIRM_DAYS. Until the person
opens it and confirms, the platform holds nothing about them — an address typed by someone else
leaves no trace and is never mailed again. The price: a confirmation link cannot be withdrawn before
it expires (whoever holds the e-mail may confirm within that time), which is what the owner of the
mailbox wants anyway.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conet.core.activity import describe
from conet.follows import selectors
from conet.follows.models import Follow
from conet.follows.selectors import Target

logger = logging.getLogger(__name__)

_CONFIRM_SALT = "conet.follows.confirm"
_UNSUBSCRIBE_SALT = "conet.follows.unsubscribe"


class LinkProblem(Exception):
    """A confirmation or unsubscribe link that was altered, has expired or names nothing any more."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def site_url() -> str:
    return settings.CONET_SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path if path.startswith("/") else path


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Links ---------------------------------------------------------------------------------------


def confirmation_token(email: str, target: Target, language: str) -> str:
    return signing.dumps(
        {"email": normalise_email(email), "target": target.key, "language": language},
        salt=_CONFIRM_SALT,
        compress=True,
    )


def read_confirmation(token: str) -> tuple[str, Target, str]:
    """(email, target, language) from a confirmation link, or LinkProblem."""
    try:
        data = signing.loads(
            token, salt=_CONFIRM_SALT, max_age=timedelta(days=settings.CONET_FOLLOW_CONFIRM_DAYS)
        )
    except signing.SignatureExpired as error:
        raise LinkProblem("expired") from error
    except signing.BadSignature as error:
        raise LinkProblem("invalid") from error
    target = selectors.target_from_key(data.get("target", ""))
    if target is None or not data.get("email"):
        raise LinkProblem("invalid")
    return data["email"], target, data.get("language") or settings.LANGUAGE_CODE


def unsubscribe_token(follow: Follow) -> str:
    # The row's id, signed: the address stays out of the link (and of server logs). No expiry: a
    # digest read a year later must still let its reader leave. Ids are never reused, so a link
    # names one follow only, and is void once that follow is gone.
    return signing.dumps(follow.pk, salt=_UNSUBSCRIBE_SALT)


def read_unsubscribe(token: str) -> int:
    """The id of the follow an unsubscribe link names, or LinkProblem."""
    try:
        follow_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise LinkProblem("invalid") from error
    if not isinstance(follow_id, int):
        raise LinkProblem("invalid")
    return follow_id


def unsubscribe_url(follow: Follow) -> str:
    with translation.override(follow.language):
        return absolute(reverse("follows:unsubscribe", args=[unsubscribe_token(follow)]))


# Writes --------------------------------------------------------------------------------------


def request_follow(email: str, target: Target, *, language: str) -> None:
    """Mail a confirmation link to `email`; stores nothing. The same answer whether or not the
    address already follows, so the form tells nobody who follows what."""
    email = normalise_email(email)
    with translation.override(language):
        link = absolute(
            reverse("follows:confirm", args=[confirmation_token(email, target, language)])
        )
        subject = _("Confirm that you want to follow %(name)s") % {"name": target.name}
        body = render_to_string(
            "follows/email/confirm.txt",
            {
                "name": target.name,
                "link": link,
                "days": settings.CONET_FOLLOW_CONFIRM_DAYS,
                "site_name": settings.CONET_SITE_NAME,
            },
        )
    EmailMessage(subject, body, None, [email]).send()


@transaction.atomic
def confirm_follow(email: str, target: Target, *, language: str) -> tuple[Follow, bool]:
    """Store the follow (once: a second confirmation changes nothing). News starts from now."""
    email = normalise_email(email)
    fields = target.follow_fields()
    existing = Follow.objects.filter(email__iexact=email, **fields).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            follow = Follow.objects.create(
                email=email,
                language=language,
                sent_through=selectors.latest_event_id(),
                **fields,
            )
    except IntegrityError:
        # The same link confirmed twice at the same moment (a double click): one row stays.
        return Follow.objects.get(email__iexact=email, **fields), False
    return follow, True


@transaction.atomic
def unsubscribe(follow_id: int) -> Follow | None:
    """Delete the follow a link names; None when it is already gone (a second click)."""
    follow = Follow.objects.select_for_update().filter(pk=follow_id).first()
    if follow is None:
        return None
    follow.delete()
    return follow


# The digest ----------------------------------------------------------------------------------


def send_digests(now=None) -> int:
    """One e-mail per confirmed follow with news: the public events since its last digest.

    Only events older than CONET_FOLLOW_DIGEST_SETTLE_SECONDS are sent: an event's id is taken when
    its transaction starts but seen when it commits, so a fresh id may still have a smaller one
    behind it; waiting a little lets that one arrive before the cursor passes it.
    """
    now = now or timezone.now()
    settled = now - timedelta(seconds=settings.CONET_FOLLOW_DIGEST_SETTLE_SECONDS)
    sent = 0
    follows = Follow.objects.select_related(
        "network", "city", "partnership__city", "partnership__network"
    ).order_by("pk")
    for follow in follows.iterator(chunk_size=200):
        events = selectors.new_events_for(
            follow, created_before=settled, limit=settings.CONET_FOLLOW_DIGEST_MAX_EVENTS
        )
        if events:
            sent += _mail_digest(follow, events, now=now)
    return sent


def _mail_digest(follow: Follow, events: list, *, now) -> bool:
    with transaction.atomic():
        # Claim the events first: the cursor moves only if nobody moved it since we read it, so
        # two runs at once (or a run retried) cannot both mail them. On PostgreSQL the second
        # UPDATE waits for the first transaction and then finds the cursor moved.
        claimed = Follow.objects.filter(pk=follow.pk, sent_through=follow.sent_through).update(
            sent_through=events[-1].pk, last_sent_at=now
        )
        if not claimed:
            return False
        message = _digest_message(follow, events)
        # Sent inside the transaction: a failed send rolls the cursor back, to be tried next time.
        message.send()
    return True


def _digest_message(follow: Follow, events: list) -> EmailMessage:
    target = selectors.target_of(follow)
    leave = unsubscribe_url(follow)
    with translation.override(follow.language):
        items = [
            {
                "sentence": describe(event),
                "at": event.created_at,
                "url": absolute(event.link) if event.link else "",
            }
            for event in events
        ]
        subject = ngettext(
            "%(name)s: %(count)d new event",
            "%(name)s: %(count)d new events",
            len(items),
        ) % {"name": target.name, "count": len(items)}
        body = render_to_string(
            "follows/email/digest.txt",
            {
                "name": target.name,
                "items": items,
                "page_url": absolute(target.page_url),
                "unsubscribe_url": leave,
                "site_name": settings.CONET_SITE_NAME,
            },
        )
    return EmailMessage(
        subject,
        body,
        None,
        [follow.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
