"""The last seat, taken by two people at the same moment: exactly one gets it, the other waits.

Runs on SQLite and PostgreSQL (DATABASE_URL=postgres://…). Each thread has its own connection.
To make the race certain rather than lucky, each thread, right after counting the seats taken,
waits (up to a second) for the other to have counted too: without the meeting lock both would
count one free seat and both would be registered. With the lock, the second thread cannot count
until the first has committed, so the first's wait times out and it goes on alone.
"""

from conet.meetings import services
from conet.meetings.models import Meeting, Registration
from conet.notifications.models import Notification
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory


def race(monkeypatch, actions) -> dict:
    return at_once(
        monkeypatch,
        actions,
        pause_after=[(services, "seats_taken"), (services, "registration_and_seats_taken")],
        together="both threads counted the free seat at the same time",
    )


def test_two_people_taking_the_last_seat_at_once_one_registers_one_waits(
    transactional_db, monkeypatch
):
    meeting = MeetingFactory(capacity=2)
    RegistrationFactory(meeting=meeting)  # one seat left
    ana, ben = UserFactory(), UserFactory()

    def register(person):
        return lambda: services.register(Meeting.objects.get(pk=meeting.pk), user=person).status

    outcomes = race(monkeypatch, {"ana": register(ana), "ben": register(ben)})

    assert sorted(outcomes.values()) == ["registered", "waitlisted"], outcomes
    stored = Registration.objects.filter(meeting=meeting)
    assert stored.filter(status="registered").count() == 2
    assert stored.filter(status="waitlisted").count() == 1


def test_a_cancellation_and_a_new_registration_at_once_never_overbook(
    transactional_db, monkeypatch
):
    meeting = MeetingFactory(capacity=1)
    holder = RegistrationFactory(meeting=meeting)
    waiting_user = UserFactory()
    services.register(meeting, user=waiting_user)  # waits
    newcomer = UserFactory()

    def cancel():
        return services.cancel_registration(
            Registration.objects.select_related("meeting").get(pk=holder.pk), by=holder.user
        ).status

    def register():
        return services.register(Meeting.objects.get(pk=meeting.pk), user=newcomer).status

    outcomes = race(monkeypatch, {"cancel": cancel, "register": register})

    assert outcomes["cancel"] == "cancelled", outcomes
    assert outcomes["register"] == "waitlisted", outcomes
    seats = Registration.objects.filter(meeting=meeting, status="registered")
    assert list(seats.values_list("user_id", flat=True)) == [waiting_user.pk]
    assert Notification.objects.filter(recipient=waiting_user, kind="meeting.promoted").exists()
