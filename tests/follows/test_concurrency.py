"""Two digest runs at once (a slow run overlapping the next, two workers): each event is mailed once.

Runs on SQLite and PostgreSQL (DATABASE_URL=postgres://…). Each thread has its own connection. To
make the race certain rather than lucky, each run waits, right after reading the follower's new
events, until the other has read them too: both hold the same cursor and the same events, and only
the claim (a conditional UPDATE of the cursor) keeps the second from mailing them again.
"""

import threading

from django.core import mail
from django.db import connection

from conet.core.activity import record_activity
from conet.follows import selectors, services
from conet.follows.models import Follow
from conet.follows.selectors import Target
from tests.factories import CityFactory


def test_two_digest_runs_at_once_mail_each_event_once(transactional_db, monkeypatch, settings):
    settings.CONET_FOLLOW_DIGEST_SETTLE_SECONDS = 0
    city = CityFactory(name="Palermo")
    services.confirm_follow("rosa@example.org", Target("city", city), language="it")
    record_activity(kind="update", scope=city, text="The square opens")

    both_read = threading.Barrier(2)
    read_together = []
    real_new_events_for = selectors.new_events_for

    def read_then_wait(follow, **kwargs):
        events = real_new_events_for(follow, **kwargs)
        try:
            both_read.wait(timeout=2)
            read_together.append(True)
        except threading.BrokenBarrierError:
            pass
        return events

    monkeypatch.setattr(selectors, "new_events_for", read_then_wait)
    start = threading.Barrier(2)
    sent: list = []

    def run():
        try:
            connection.ensure_connection()
            start.wait(timeout=10)
            sent.append(services.send_digests())
        except Exception as error:  # reported by the assertion below
            sent.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(read_together) == 2, "the runs did not overlap; the test proved nothing"
    assert sorted(sent) == [0, 1], sent
    assert len(mail.outbox) == 1 and "The square opens" in mail.outbox[0].body
    assert Follow.objects.get().sent_through > 0
