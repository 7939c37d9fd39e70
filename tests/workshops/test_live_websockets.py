"""Real WebSocket connections to a real server (uvicorn in a thread, or `conet serve` processes):
screens see each other's cards, a phone that was away catches up, nothing it wrote is lost."""

import asyncio
import os
from contextlib import nullcontext

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import Client

from conet.workshops.events import collecting_broadcasts, emit, events_since
from conet.workshops.models import Card
from tests.workshops.factories import join, open_phase
from tests.workshops.live import BoardClient, conet_server, database_url, served

pytestmark = pytest.mark.django_db(transaction=True)


def _session_of(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def _texts(client) -> set[str]:
    return set(client.cards())


def test_facilitator_and_three_participants_see_each_others_cards_and_a_returning_phone_catches_up(
    workshop, facilitator
):
    open_phase(workshop, "critique")
    tokens = [join(workshop, name=name)[1] for name in ("Ana", "Bogdan", "Carmen")]
    session = _session_of(facilitator)
    workshop.refresh_from_db()
    start = workshop.last_event_seq

    async def scenario(port):
        screen = BoardClient(port, workshop.pk, session=session, name="facilitator")
        phones = [
            BoardClient(port, workshop.pk, token=t, name=str(i)) for i, t in enumerate(tokens)
        ]
        for client in [screen, *phones]:
            await client.connect(since=start)
            await asyncio.wait_for(client.synced.wait(), 10)
        first = {f"first card from {p.name}" for p in phones}
        for phone in phones:
            await phone.post_card(f"first card from {phone.name}")
        for client in [screen, *phones]:
            await client.wait_until(lambda c=client: first <= _texts(c))

        away = phones[2]
        await away.close()
        seen_before = away.last_seq
        missed = {"while away 1", "while away 2", "while away 3", "while away 4"}
        for phone, text in zip(phones[:2] * 2, sorted(missed), strict=True):
            await phone.post_card(text)
        for client in [screen, *phones[:2]]:
            await client.wait_until(lambda c=client: missed <= _texts(c))
        assert not missed & _texts(away)

        await away.connect()  # hello with the last number it saw
        await asyncio.wait_for(away.synced.wait(), 10)
        assert missed <= _texts(away)
        assert all(
            seq > seen_before for seq, e in away.events.items() if e["data"].get("text") in missed
        )

        # A card re-sent after a lost connection (same client_id) is stored once.
        ref = await away.post_card("sent twice", client_id="carmen-1")
        await away.wait_until(lambda: away.reply_to(ref) is not None)
        away.replies.clear()
        await away.post_card("sent twice", client_id="carmen-1")
        await away.wait_until(lambda: away.reply_to(ref) is not None)
        assert away.reply_to(ref)["created"] is False
        await screen.wait_until(lambda: "sent twice" in _texts(screen))
        for client in [screen, *phones]:
            await client.close()
        return screen

    with served() as port:
        screen = asyncio.run(scenario(port))
    assert Card.objects.filter(workshop=workshop).count() == 3 + 4 + 1
    assert Card.objects.filter(text="sent twice").count() == 1
    # The projector's screen received every event in the log once, in number order.
    assert sorted(screen.events) == list(range(start + 1, start + 9))


def test_a_phone_hears_its_own_table_and_the_projector_hears_every_table(
    workshop, facilitator, tables
):
    open_phase(workshop, "critique")
    one, two = (join(workshop, name=f"P{t.pk}", table=t)[1] for t in tables)
    session = _session_of(facilitator)
    workshop.refresh_from_db()
    start = workshop.last_event_seq

    async def scenario(port):
        projector = await BoardClient(port, workshop.pk, session=session).connect(since=start)
        phone_one = await BoardClient(port, workshop.pk, token=one).connect(since=start)
        phone_two = await BoardClient(port, workshop.pk, token=two).connect(since=start)
        await phone_one.post_card("table one")
        await phone_two.post_card("table two")
        await projector.wait_until(lambda: {"table one", "table two"} <= _texts(projector))
        await phone_one.wait_until(lambda: "table one" in _texts(phone_one))
        await phone_two.wait_until(lambda: "table two" in _texts(phone_two))
        # Both cards were broadcast before the projector had both; neither phone got the other's.
        assert "table two" not in _texts(phone_one) and "table one" not in _texts(phone_two)
        for client in (projector, phone_one, phone_two):
            await client.close()

    with served() as port:
        asyncio.run(scenario(port))


def test_a_stranger_and_a_removed_participant_are_refused(workshop, facilitator):
    from conet.workshops import services

    participant, token = join(workshop)
    services.remove_participant(participant, by=facilitator)

    async def scenario(port):
        import websockets

        for headers in ({}, {"Cookie": f"conet_workshop_{workshop.pk}={token}"}):
            client = BoardClient(port, workshop.pk)
            client.headers = headers
            with pytest.raises(websockets.InvalidStatus):
                await client.connect()

    with served() as port:
        asyncio.run(scenario(port))


def test_a_card_posted_through_one_server_process_reaches_a_phone_on_another(workshop):
    """Two `conet serve` processes, one Redis (db 3), one database: the channel layer carries it."""
    import redis

    url = os.environ.get("CONET_TEST_LAYER_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    open_phase(workshop, "critique")
    writer, reader = (join(workshop, name=n)[1] for n in ("Writer", "Reader"))
    workshop.refresh_from_db()
    start = workshop.last_event_seq
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": url,
        "CONET_DATA_DIR": "/tmp/conet-workshops-two",
    }

    async def scenario(port_a, port_b):
        on_a = await BoardClient(port_a, workshop.pk, token=writer).connect(since=start)
        on_b = await BoardClient(port_b, workshop.pk, token=reader).connect(since=start)
        await asyncio.wait_for(on_b.synced.wait(), 20)
        await on_a.post_card("posted through process A")
        await on_b.wait_until(lambda: "posted through process A" in _texts(on_b), timeout=20)
        await on_b.post_card("posted through process B")
        await on_a.wait_until(lambda: "posted through process B" in _texts(on_a), timeout=20)
        await on_a.close()
        await on_b.close()

    with conet_server(env=env) as (port_a, _a), conet_server(env=env) as (port_b, _b):
        asyncio.run(scenario(port_a, port_b))
    assert Card.objects.filter(workshop=workshop).count() == 2


def test_a_phone_that_heard_an_event_before_the_one_preceding_it_asks_for_that_one_again(
    workshop, tables
):
    """Several processes can deliver 12 before 11. The phone hears 12 (whose `prev` is 11), loses
    its connection before 11 arrives, and says hello with a number below 11: 11 comes in the
    catch-up. Saying hello with the highest number heard (12) would lose 11 for good."""
    open_phase(workshop, "critique")
    mine, other = tables
    token = join(workshop, name="Ana", table=mine)[1]
    workshop.refresh_from_db()
    start = workshop.last_event_seq

    def log(kind, text, table, broadcast=True):
        # Not broadcast: committed, but its broadcast is collected here and never leaves.
        with collecting_broadcasts() if not broadcast else nullcontext(), transaction.atomic():
            return emit(workshop.pk, kind, {"text": text}, table_id=table.pk if table else None)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect(since=start)
        await asyncio.wait_for(phone.synced.wait(), 10)
        elsewhere = await sync_to_async(log)("note", "another table's", other)
        late = await sync_to_async(log)("note", "delayed", mine, broadcast=False)
        wide = await sync_to_async(log)("note", "for everyone, delayed", None, broadcast=False)
        heard = await sync_to_async(log)("note", "heard first", mine)
        heard_wide = await sync_to_async(log)("note", "for everyone", None)
        await phone.wait_until(lambda: {heard.seq, heard_wide.seq} <= set(phone.events))
        assert late.seq not in phone.events and wide.seq not in phone.events
        assert phone.events[heard.seq]["prev"] == late.seq
        assert phone.events[heard_wide.seq]["prev"] == wide.seq
        await phone.close()

        assert phone.heard.since() < min(late.seq, wide.seq) < phone.last_seq
        await phone.connect()  # hello with the lowest number its chains are complete to
        await asyncio.wait_for(phone.synced.wait(), 10)
        assert {late.seq, wide.seq} <= set(phone.events)
        assert elsewhere.seq not in phone.events  # still only its own table and the wide ones
        assert phone.heard.since() == phone.last_seq
        await phone.close()

    with served() as port:
        asyncio.run(scenario(port))


def test_each_event_names_the_one_before_it_for_the_same_screens(workshop, tables):
    one, two = tables
    with transaction.atomic():
        first_wide = emit(workshop.pk, "note", {}, table_id=None)
        first_one = emit(workshop.pk, "note", {}, table_id=one.pk)
        first_two = emit(workshop.pk, "note", {}, table_id=two.pk)
        second_one = emit(workshop.pk, "note", {}, table_id=one.pk)
        second_wide = emit(workshop.pk, "note", {}, table_id=None)
    assert [e.prev for e in (first_wide, first_one, first_two)] == [0, 0, 0]
    assert second_one.prev == first_one.seq
    assert second_wide.prev == first_wide.seq
    through, events = events_since(workshop.pk, 0, table_id=one.pk, everything=False)
    assert through == second_wide.seq
    assert [e.seq for e in events] == [
        first_wide.seq,
        first_one.seq,
        second_one.seq,
        second_wide.seq,
    ]
