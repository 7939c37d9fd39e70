"""Every write about notifications: telling people, marking read, preferences and e-mail.

Apps call `notify()` inside their own transaction: the rows are rolled back with the change that
caused them, and e-mail for people who want it at once is sent only after the commit.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conet.core.languages import in_language, without_language
from conet.notifications.models import Notification, NotificationPreference


def site_url() -> str:
    """The address links in e-mails start with (CONET_SITE_URL), without a trailing slash."""
    return getattr(settings, "CONET_SITE_URL", "http://localhost:8000").rstrip("/")


def notify(
    recipients: Iterable, kind: str, params: dict | None = None, url: str = "", actor=None
) -> list[Notification]:
    """Tell each recipient (users or user ids) that `kind` happened; one row each, one INSERT.

    Recipients appear once however often they are listed; inactive accounts are skipped.
    """
    ids, known = [], {}
    for recipient in recipients:
        if recipient is None:
            continue
        pk = recipient if isinstance(recipient, int) else recipient.pk
        if not isinstance(recipient, int):
            known[pk] = recipient.is_active  # a user in hand: no query to ask
        if pk not in ids:
            ids.append(pk)
    if not ids:
        return []
    active = {pk for pk in ids if known.get(pk)}
    unknown = [pk for pk in ids if pk not in known]
    if unknown:
        active |= set(
            get_user_model()
            .objects.filter(pk__in=unknown, is_active=True)
            .values_list("pk", flat=True)
        )
    now = timezone.now()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                params=params or {},
                # Kept without a language prefix: the reader follows it in their own language.
                url=without_language(url),
                actor_id=actor_id,
                created_at=now,
            )
            for pk in ids
            if pk in active
        ]
    )
    immediate = list(
        NotificationPreference.objects.filter(
            user_id__in=active, email=NotificationPreference.Email.IMMEDIATE
        ).values_list("user_id", flat=True)
    )
    if immediate:
        transaction.on_commit(lambda: _enqueue_immediate(immediate), robust=True)
    return rows


def _enqueue_immediate(user_ids: list[int]) -> None:
    from conet.notifications.tasks import send_immediate_notifications

    send_immediate_notifications(user_ids)


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `notification_ids` is None)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def email_preference(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email if preference else NotificationPreference.Email.DAILY


def set_email_preference(user, email: str) -> NotificationPreference:
    if email not in NotificationPreference.Email.values:
        raise ValueError(email)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email}
    )
    return preference


def _pending_for(user_ids: Iterable[int]):
    return (
        Notification.objects.filter(
            recipient_id__in=list(user_ids), read_at__isnull=True, emailed_at__isnull=True
        )
        .select_related("recipient", "actor")
        .order_by("recipient_id", "created_at", "pk")
    )


def _mail_one_person(user, notifications: list[Notification]) -> bool:
    """One e-mail with these notifications, in the person's language; marks them e-mailed."""
    if not notifications or not user.email:
        return False
    with transaction.atomic():
        # Claim the rows first: a digest run and an immediate send that overlap cannot both mail them.
        claimed = Notification.objects.filter(
            pk__in=[n.pk for n in notifications], emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if claimed != len(notifications):
            transaction.set_rollback(True)
            return False
        with translation.override(user.language or settings.LANGUAGE_CODE):
            base = site_url()
            items = [
                {
                    "sentence": n.sentence,
                    "url": base + in_language(n.url) if n.url else "",
                    "at": n.created_at,
                }
                for n in notifications
            ]
            subject = ngettext(
                "%(count)d new notification on %(site)s",
                "%(count)d new notifications on %(site)s",
                len(items),
            ) % {"count": len(items), "site": settings.CONET_SITE_NAME}
            if len(items) == 1:
                subject = items[0]["sentence"][:150]
            body = render_to_string(
                "notifications/email/digest.txt",
                {
                    "user": user,
                    "items": items,
                    "inbox_url": base + reverse("notifications:list"),
                    "site_name": settings.CONET_SITE_NAME,
                    "preferences_hint": _("You can change how often you get these e-mails here:"),
                },
            )
        send_mail(subject, body, None, [user.email])
    return True


def send_immediate(user_ids: Iterable[int]) -> int:
    """Mail people who asked for e-mail at once; returns the number of e-mails sent."""
    user_ids = list(
        NotificationPreference.objects.filter(
            user_id__in=list(user_ids), email=NotificationPreference.Email.IMMEDIATE
        ).values_list("user_id", flat=True)
    )
    return _send_grouped(_pending_for(user_ids))


def send_digests() -> int:
    """One e-mail per person with daily digests (the default) and unread, not yet e-mailed items."""
    off_or_immediate = NotificationPreference.objects.exclude(
        email=NotificationPreference.Email.DAILY
    ).values_list("user_id", flat=True)
    pending = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .exclude(recipient_id__in=off_or_immediate)
        .filter(recipient__is_active=True)
        .select_related("recipient", "actor")
        .order_by("recipient_id", "created_at", "pk")
    )
    return _send_grouped(pending)


def _send_grouped(pending) -> int:
    sent = 0
    current_user, batch = None, []
    for notification in pending.iterator(chunk_size=500):
        if current_user is not None and notification.recipient_id != current_user.pk:
            sent += _mail_one_person(current_user, batch)
            batch = []
        current_user = notification.recipient
        batch.append(notification)
    if current_user is not None:
        sent += _mail_one_person(current_user, batch)
    return sent


def erase_old_notifications(now=None) -> int:
    """Retention: notifications older than CONET_RETENTION_NOTIFICATION_DAYS days are deleted,
    read or not. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONET_RETENTION_NOTIFICATION_DAYS)
    with transaction.atomic():
        deleted, _by_model = Notification.objects.filter(created_at__lte=cutoff).delete()
    return deleted
