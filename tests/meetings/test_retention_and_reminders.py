"""Needs are erased after the meeting (the retention rule); reminders go out once."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conet.meetings import services
from conet.meetings.models import Meeting, Registration
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _with_needs(meeting):
    return RegistrationFactory(
        meeting=meeting,
        needs_consent=True,
        accessibility_needs="step-free access",
        dietary_needs="halal",
    )


def test_retention_rule_erases_needs_once_the_meeting_is_over_long_enough(settings):
    settings.CONET_MEETING_NEEDS_RETENTION_DAYS = 2
    over = MeetingFactory(starts_at=in_days(-4), ends_at=in_days(-3))
    just_over = MeetingFactory(starts_at=in_days(-1.5), ends_at=in_days(-1))
    coming = MeetingFactory()
    erased, kept_for_now, kept = _with_needs(over), _with_needs(just_over), _with_needs(coming)

    assert services.erase_needs_after_meetings() == 1

    erased.refresh_from_db()
    assert (erased.accessibility_needs, erased.dietary_needs) == ("", "")
    for registration in [kept_for_now, kept]:
        registration.refresh_from_db()
        assert registration.dietary_needs == "halal"
    assert Meeting.objects.get(pk=over.pk).needs_erased_at is not None
    assert Meeting.objects.get(pk=coming.pk).needs_erased_at is None
    # Later the rule reaches the second meeting too; attendance and status stay.
    services.erase_needs_after_meetings(now=timezone.now() + timedelta(days=2))
    kept_for_now.refresh_from_db()
    assert kept_for_now.dietary_needs == "" and kept_for_now.status == "registered"


def test_retention_command_runs_the_rule(settings):
    settings.CONET_MEETING_NEEDS_RETENTION_DAYS = 0
    registration = _with_needs(MeetingFactory(starts_at=in_days(-2), ends_at=in_days(-1)))
    out = io.StringIO()
    call_command("erase_meeting_needs", stdout=out)
    assert "needs erased from 1 registrations" in out.getvalue()
    registration.refresh_from_db()
    assert registration.accessibility_needs == ""


def test_reminder_goes_once_to_people_registered_for_a_meeting_within_two_days():
    soon = MeetingFactory(title="Sofia meeting", starts_at=in_days(1), ends_at=in_days(1.2))
    later = MeetingFactory(starts_at=in_days(5), ends_at=in_days(5.2))
    registered = RegistrationFactory(meeting=soon)
    RegistrationFactory(meeting=soon, status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=later)

    assert services.send_reminders() == 1
    assert services.send_reminders() == 0

    assert [message.to for message in mail.outbox] == [[registered.user.email]]
    assert "Sofia meeting" in mail.outbox[0].subject
    assert f"/meetings/{soon.pk}/meeting.ics" in mail.outbox[0].body


def test_reminder_is_written_in_the_persons_language():
    meeting = MeetingFactory(title="Treffen", starts_at=in_days(1), ends_at=in_days(1.2))
    RegistrationFactory(meeting=meeting, user=UserFactory(language="de"))
    services.send_reminders()
    assert mail.outbox[0].subject.startswith("Erinnerung")


def test_cancelled_meetings_get_no_reminder():
    meeting = MeetingFactory(starts_at=in_days(1), ends_at=in_days(1.2), status="cancelled")
    RegistrationFactory(meeting=meeting)
    assert services.send_reminders() == 0


def test_reminder_command_sends_and_reports():
    RegistrationFactory(meeting=MeetingFactory(starts_at=in_days(1), ends_at=in_days(1.1)))
    out = io.StringIO()
    call_command("send_meeting_reminders", stdout=out)
    assert "1 reminders sent" in out.getvalue()
    assert len(mail.outbox) == 1
