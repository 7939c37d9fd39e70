"""Retention rules (docs/privacy.md): each deletes exactly what is past its period, and runs as a
periodic task of the queue that `conet serve` consumes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from conet.accounts.models import Invitation
from conet.accounts.services import erase_inactive_invitations
from conet.notifications.models import Notification
from conet.notifications.services import erase_old_notifications, notify
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_invitations_expired_unaccepted_beyond_the_period_are_deleted(settings):
    settings.CONET_RETENTION_INVITATION_DAYS = 90
    now = timezone.now()
    old = InvitationFactory(expires_at=now - timedelta(days=91))
    recent = InvitationFactory(expires_at=now - timedelta(days=89))
    pending = InvitationFactory(expires_at=now + timedelta(days=3))
    accepted = InvitationFactory(
        expires_at=now - timedelta(days=400), accepted_at=now - timedelta(days=401)
    )

    assert erase_inactive_invitations(now) == 1

    assert set(Invitation.objects.values_list("pk", flat=True)) == {
        recent.pk,
        pending.pk,
        accepted.pk,
    }
    assert not Invitation.objects.filter(pk=old.pk).exists()


def test_notifications_older_than_the_period_are_deleted_read_or_not(settings):
    settings.CONET_RETENTION_NOTIFICATION_DAYS = 365
    now = timezone.now()
    person = UserFactory()
    rows = [notify([person], "message", {"text": str(n)})[0] for n in range(4)]
    Notification.objects.filter(pk=rows[0].pk).update(created_at=now - timedelta(days=366))
    Notification.objects.filter(pk=rows[1].pk).update(
        created_at=now - timedelta(days=400), read_at=now - timedelta(days=399)
    )
    Notification.objects.filter(pk=rows[2].pk).update(created_at=now - timedelta(days=364))

    assert erase_old_notifications(now) == 2

    # rows[3] is new.
    assert set(Notification.objects.values_list("pk", flat=True)) == {rows[2].pk, rows[3].pk}


def test_every_retention_rule_is_a_periodic_task_of_the_queue():
    periodic = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {
        "erase_inactive_invitations",
        "erase_old_notifications",
        "cut_consultation_device_links",
        "erase_workshop_names",
        "erase_meeting_needs",
    } <= periodic
