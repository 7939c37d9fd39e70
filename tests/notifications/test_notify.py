"""notify(): one row per recipient, rendered in the reader's language, rolled back with its cause."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conet.notifications.kinds import register_kind
from conet.notifications.models import Notification, NotificationPreference
from conet.notifications.services import mark_read, notify, send_digests, set_email_preference
from tests.factories import UserFactory

register_kind("test.greeting", _("%(name)s registered for %(meeting)s"))

pytestmark = pytest.mark.django_db


def test_notify_creates_one_row_per_recipient_once():
    alice, bob = UserFactory(), UserFactory()
    rows = notify([alice, bob, alice, None], "test.greeting", {"name": "Eva", "meeting": "Sofia"})
    assert len(rows) == 2
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert Notification.objects.get(recipient=bob).sentence == "Eva registered for Sofia"


def test_notify_accepts_user_ids_and_skips_inactive_accounts():
    active, inactive = UserFactory(), UserFactory(is_active=False)
    notify([active.pk, inactive.pk], "test.greeting", {"name": "A", "meeting": "B"})
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]


def test_notifications_vanish_when_the_change_that_caused_them_is_rolled_back():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], "test.greeting", {"name": "A", "meeting": "B"})
        raise RuntimeError("the service failed")
    assert not Notification.objects.exists()


def test_sentence_is_rendered_in_the_language_it_is_read_in():
    user = UserFactory()
    notify([user], "meeting.registered", {"meeting": "Alba Iulia", "date": "2010-05-27"})
    notification = Notification.objects.get()
    with translation.override("en"):
        english = notification.sentence
    with translation.override("de"):
        german = notification.sentence
    assert "Alba Iulia" in english and "Alba Iulia" in german
    assert english != german
    # The day too is written as a German reader writes it.
    assert german == "Sie sind für Alba Iulia am 27. Mai 2010 angemeldet."


def test_unknown_kind_falls_back_to_its_text_not_an_error():
    user = UserFactory()
    notify([user], "nobody.registered.this", {"text": "Plain words"})
    assert Notification.objects.get().sentence == "Plain words"


def test_mark_read_touches_only_the_readers_own_notifications():
    alice, bob = UserFactory(), UserFactory()
    notify([alice, bob], "test.greeting", {"name": "A", "meeting": "B"})
    bobs = Notification.objects.get(recipient=bob)
    assert mark_read(alice, [bobs.pk]) == 0
    assert mark_read(alice) == 1
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_digest_sends_one_mail_per_person_with_unread_items_once():
    alice, bob = UserFactory(), UserFactory()
    for n in range(3):
        notify([alice], "test.greeting", {"name": f"N{n}", "meeting": "M"})
    notify([bob], "test.greeting", {"name": "X", "meeting": "Y"})
    mark_read(bob)
    assert send_digests() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert all(f"N{n} registered for M" in mail.outbox[0].body for n in range(3))
    assert send_digests() == 0
    assert len(mail.outbox) == 1


def test_digest_is_written_in_the_recipients_language():
    user = UserFactory(language="de")
    notify([user], "test.greeting", {"name": "A", "meeting": "B"})
    send_digests()
    assert "Hallo" in mail.outbox[0].body


def test_people_who_turned_email_off_get_no_digest():
    user = UserFactory()
    set_email_preference(user, NotificationPreference.Email.OFF)
    notify([user], "test.greeting", {"name": "A", "meeting": "B"})
    assert send_digests() == 0
    assert mail.outbox == []


def test_immediate_preference_mails_after_commit_and_not_again_in_the_digest(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    set_email_preference(user, NotificationPreference.Email.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "test.greeting", {"name": "A", "meeting": "B"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "A registered for B"
    assert send_digests() == 0
