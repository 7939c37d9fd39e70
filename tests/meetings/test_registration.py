"""Registration with capacity and a waiting list; cancellation moves the first person waiting up."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conet.meetings import services
from conet.meetings.models import Registration
from conet.notifications.models import Notification
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db

REGISTERED, WAITLISTED, CANCELLED = "registered", "waitlisted", "cancelled"


def test_people_get_seats_until_full_then_join_the_waiting_list_in_order():
    meeting = MeetingFactory(capacity=2)
    people = [UserFactory() for _ in range(4)]
    statuses = [services.register(meeting, user=person).status for person in people]
    assert statuses == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    third = Registration.objects.get(meeting=meeting, user=people[2])
    fourth = Registration.objects.get(meeting=meeting, user=people[3])
    assert (services.waiting_position(third), services.waiting_position(fourth)) == (1, 2)


def test_registering_twice_keeps_one_registration():
    meeting = MeetingFactory(capacity=5)
    person = UserFactory()
    first = services.register(meeting, user=person)
    second = services.register(meeting, user=person)
    assert first.pk == second.pk
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_a_cancelled_seat_goes_to_the_first_person_waiting_who_is_notified():
    meeting = MeetingFactory(capacity=1)
    holder, first_waiting, second_waiting = UserFactory(), UserFactory(), UserFactory()
    seat = services.register(meeting, user=holder)
    services.register(meeting, user=first_waiting)
    services.register(meeting, user=second_waiting)

    services.cancel_registration(seat, by=holder)

    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("user_id", "status"))
    assert statuses == {
        holder.pk: CANCELLED,
        first_waiting.pk: REGISTERED,
        second_waiting.pk: WAITLISTED,
    }
    promoted = Notification.objects.get(recipient=first_waiting, kind="meeting.promoted")
    assert meeting.title in promoted.sentence
    assert not Notification.objects.filter(
        recipient=second_waiting, kind="meeting.promoted"
    ).exists()


def test_leaving_the_waiting_list_promotes_nobody():
    meeting = MeetingFactory(capacity=1)
    services.register(meeting, user=UserFactory())
    waiting = services.register(meeting, user=UserFactory())
    services.cancel_registration(waiting, by=waiting.user)
    assert list(Registration.objects.filter(meeting=meeting).values_list("status", flat=True)) == [
        REGISTERED,
        CANCELLED,
    ]
    assert not Notification.objects.filter(kind="meeting.promoted").exists()


def test_more_seats_move_people_up_from_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    organiser = UserFactory(is_staff=True)
    services.register(meeting, user=UserFactory())
    waiting = services.register(meeting, user=UserFactory())
    services.update_meeting(
        meeting, by=organiser, expected_version=meeting.version, changes={"capacity": 2}
    )
    waiting.refresh_from_db()
    assert waiting.status == REGISTERED
    assert Notification.objects.filter(recipient=waiting.user, kind="meeting.promoted").exists()


def test_registration_tells_the_person_and_the_organiser():
    organiser = UserFactory()
    meeting = MeetingFactory(capacity=1, created_by=organiser)
    person = UserFactory(name="Ana Popescu")
    services.register(meeting, user=person)
    assert Notification.objects.get(recipient=person).kind == "meeting.registered"
    told = Notification.objects.get(recipient=organiser)
    assert told.kind == "meeting.new_registration" and "Ana Popescu" in told.sentence
    late = UserFactory()
    services.register(meeting, user=late)
    assert Notification.objects.get(recipient=late).kind == "meeting.waitlisted"


def test_someone_else_cannot_cancel_my_registration():
    registration = RegistrationFactory()
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration, by=UserFactory())
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_needs_are_refused_without_consent_and_nothing_is_stored():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        services.register(meeting, user=UserFactory(), dietary_needs="vegetarian")
    assert "needs_consent" in error.value.message_dict
    assert not Registration.objects.exists()


def test_withdrawing_consent_erases_needs_at_once():
    meeting = MeetingFactory()
    person = UserFactory()
    registration = services.register(
        meeting, user=person, needs_consent=True, accessibility_needs="wheelchair access"
    )
    services.update_needs(
        registration, by=person, needs_consent=False, accessibility_needs="", dietary_needs=""
    )
    registration.refresh_from_db()
    assert (registration.needs_consent, registration.accessibility_needs) == (False, "")


def test_nobody_registers_for_a_past_cancelled_or_closed_meeting():
    person = UserFactory()
    for meeting in [
        MeetingFactory(starts_at=in_days(-3), ends_at=in_days(-2)),
        MeetingFactory(status="cancelled"),
        MeetingFactory(registration_open=False),
    ]:
        with pytest.raises(PermissionDenied):
            services.register(meeting, user=person)
    assert not Registration.objects.exists()


def test_cancelling_a_meeting_tells_everyone_registered_or_waiting():
    meeting = MeetingFactory(capacity=1)
    registered = services.register(meeting, user=UserFactory())
    waiting = services.register(meeting, user=UserFactory())
    services.cancel_meeting(meeting, by=UserFactory(is_staff=True))
    told = set(
        Notification.objects.filter(kind="meeting.cancelled").values_list("recipient_id", flat=True)
    )
    assert told == {registered.user_id, waiting.user_id}


def test_attendance_marks_registered_people_present_or_absent():
    meeting = MeetingFactory()
    came, stayed_home = RegistrationFactory(meeting=meeting), RegistrationFactory(meeting=meeting)
    services.record_attendance(meeting, by=UserFactory(is_staff=True), attended_ids=[came.pk])
    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert (came.attended, stayed_home.attended) == (True, False)
    other = RegistrationFactory()
    with pytest.raises(ValidationError):
        services.record_attendance(meeting, by=UserFactory(is_staff=True), attended_ids=[other.pk])


def test_a_new_lsg_meeting_is_announced_to_the_groups_people(people, network, city):
    from conet.localgroups.services import group_of
    from conet.networks.models import Partnership

    group = group_of(Partnership.objects.get(network=network, city=city))
    services.create_group_meeting(
        group,
        by=people["city_coordinator"],
        title="LSG: school centre",
        starts_at=in_days(4),
        ends_at=in_days(4.1),
        time_zone="Europe/Rome",
    )
    told = set(
        Notification.objects.filter(kind="meeting.group_meeting").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {people["lsg_member"].pk}
    assert "Partner City" in Notification.objects.get(kind="meeting.group_meeting").sentence
