"""The last seat, taken by two people at the same moment: exactly one gets it, the other waits.

Runs on SQLite and PostgreSQL (DATABASE_URL=postgres://…). Each thread has its own connection.
To make the race certain rather than lucky, each thread, right after counting the seats taken,
waits (up to a second) for the other to have counted too: without the meeting lock both would
count one free seat and both would be registered. With the lock, the second thread cannot count
until the first has committed, so the first's wait times out and it goes on alone.
"""

import threading

from django.db import connection

from conet.meetings import services
from conet.meetings.models import Meeting, Registration
from conet.notifications.models import Notification
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory


def race(monkeypatch, actions) -> dict:
    both_counted = threading.Barrier(len(actions))
    counted_together = []
    real_seats_taken = services.seats_taken

    def seats_taken_then_wait(meeting):
        taken = real_seats_taken(meeting)
        try:
            both_counted.wait(timeout=1)
            counted_together.append(True)
        except threading.BrokenBarrierError:
            pass
        return taken

    monkeypatch.setattr(services, "seats_taken", seats_taken_then_wait)
    outcomes: dict = {}
    start = threading.Barrier(len(actions))

    def run(name, action):
        try:
            # Connect first: opening a connection is not part of the race.
            connection.ensure_connection()
            start.wait(timeout=10)
            outcomes[name] = action()
        except Exception as error:
            outcomes[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not counted_together, "both threads counted the free seat at the same time"
    return outcomes


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
