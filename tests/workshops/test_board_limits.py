"""The live board's limits and its answers to bad messages, over real WebSocket connections: a phone
that floods the board or a script that makes participants in a loop is refused with a message in
the reader's language, nothing refused is stored or broadcast, a school class behind one address
still joins, and no message, however broken, drops the socket."""

import asyncio
import json
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conet.workshops import limits
from conet.workshops.models import Card, Participant
from tests.workshops.factories import join, open_phase
from tests.workshops.live import BoardClient, served

pytestmark = pytest.mark.django_db(transaction=True)

TOO_FAST = "You are writing faster than a workshop needs: wait a few seconds."


def _session_of(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def _join_over_http(workshop, name: str, **headers):
    return Client(**headers).post(
        reverse("workshops:join", args=[workshop.code]), {"display_name": name}
    )


# A phone that floods the board -------------------------------------------------------------------


def test_a_phone_posting_50_cards_in_a_burst_gets_its_minutes_worth_stored_and_the_rest_refused(
    workshop, facilitator, settings
):
    settings.CONET_BOARD_CARDS_PER_MINUTE = 12
    open_phase(workshop, "critique")
    _flooder, token = join(workshop, name="Flood")
    _neighbour, neighbour_token = join(workshop, name="Neighbour")
    session = _session_of(facilitator)
    workshop.refresh_from_db()
    start = workshop.last_event_seq

    async def scenario(port):
        projector = await BoardClient(port, workshop.pk, session=session).connect(since=start)
        phone = await BoardClient(port, workshop.pk, token=token).connect(since=start)
        neighbour = await BoardClient(port, workshop.pk, token=neighbour_token).connect(since=start)
        for client in (projector, phone, neighbour):
            await asyncio.wait_for(client.synced.wait(), 10)
        refs = [await phone.post_card(f"card {n}") for n in range(50)]
        await phone.wait_until(lambda: all(phone.reply_to(ref) for ref in refs), timeout=30)
        # Events go out in number order: once the projector has the neighbour's card, written after
        # the burst, it has had every event of the burst there was.
        await neighbour.post_card("the neighbour writes after the burst")
        await projector.wait_until(
            lambda: "the neighbour writes after the burst" in projector.cards()
        )
        replies = [phone.reply_to(ref) for ref in refs]
        for client in (projector, phone, neighbour):
            await client.close()
        return replies, projector.cards(), neighbour.cards(), phone.is_open

    with served() as port:
        replies, on_projector, on_neighbour, _ = asyncio.run(scenario(port))

    stored = [r for r in replies if r["type"] == "ack"]
    refused = [r for r in replies if r["type"] == "error"]
    assert len(stored) == 12 and len(refused) == 38
    assert [r["client_id"] for r in stored] == [r["ref"] for r in replies[:12]]
    assert {r["code"] for r in refused} == {"too_fast"}
    assert {r["message"] for r in refused} == {TOO_FAST}
    assert all(1 <= r["retry_after"] <= 60 for r in refused)
    assert all(r["client_id"] == r["ref"] for r in refused)  # the phone keeps each one to resend
    assert Card.objects.filter(workshop=workshop, participant__display_name="Flood").count() == 12
    burst = {f"card {n}" for n in range(50)}
    assert sorted(burst & set(on_projector)) == sorted(f"card {n}" for n in range(12))
    assert sorted(burst & set(on_neighbour)) == sorted(f"card {n}" for n in range(12))


def test_the_refusal_comes_in_the_phones_language(workshop, settings):
    settings.CONET_BOARD_CARDS_PER_MINUTE = 1
    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token, language="it").connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        first, second = await phone.post_card("uno"), await phone.post_card("due")
        await phone.wait_until(lambda: phone.reply_to(first) and phone.reply_to(second))
        await phone.close()
        return phone.reply_to(second)

    with served() as port:
        refusal = asyncio.run(scenario(port))
    assert refusal["code"] == "too_fast"
    assert refusal["message"] == (
        "Stai scrivendo più in fretta di quanto serva a un workshop: aspetta qualche secondo."
    )


def test_a_card_sent_again_after_a_lost_acknowledgement_does_not_count_again(workshop, settings):
    """A phone back online resends what it kept; a card already stored takes no second place."""
    settings.CONET_BOARD_CARDS_PER_MINUTE = 2
    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        ref = await phone.post_card("kept", client_id="kept-1")
        await phone.wait_until(lambda: phone.reply_to(ref) is not None)
        for _ in range(5):
            phone.replies.clear()
            await phone.post_card("kept", client_id="kept-1")
            await phone.wait_until(lambda: phone.reply_to(ref) is not None)
            assert phone.reply_to(ref)["type"] == "ack"
        last = await phone.post_card("second")
        await phone.wait_until(lambda: phone.reply_to(last) is not None)
        await phone.close()
        return phone.reply_to(last)

    with served() as port:
        assert asyncio.run(scenario(port))["type"] == "ack"
    assert Card.objects.filter(workshop=workshop).count() == 2


def test_dots_and_other_writes_have_their_own_limits(workshop, settings):
    from conet.workshops import services
    from conet.workshops.rules import BoardRefusal
    from tests.workshops.factories import ClusterFactory

    settings.CONET_BOARD_DOTS_PER_MINUTE = 4
    open_phase(workshop, "critique", step="vote")
    participant, _token = join(workshop)
    cluster = ClusterFactory(workshop=workshop)
    for add in (True, False, True, False):
        services.place_dot(participant, cluster, add=add)
    with pytest.raises(BoardRefusal) as refused:
        services.place_dot(participant, cluster)
    assert refused.value.code == "too_fast"
    assert not cluster.dots.exists()

    settings.CONET_BOARD_WRITES_PER_MINUTE = 2
    open_phase(workshop, "implementation")
    proposal = services.create_proposal(
        workshop, fields={"title": "A bench"}, participant=participant
    )
    services.help_with_proposal(proposal, participant=participant)
    with pytest.raises(BoardRefusal) as refused:
        services.help_with_proposal(proposal, participant=participant, helping=False)
    assert refused.value.code == "too_fast"
    assert proposal.helpers.count() == 1


def test_the_facilitator_writing_paper_cards_is_never_limited(workshop, facilitator, settings):
    settings.CONET_BOARD_CARDS_PER_MINUTE = 2
    open_phase(workshop, "critique")
    client = Client()
    client.force_login(facilitator, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("workshops:card_add", args=[workshop.pk])
    for n in range(20):
        response = client.post(url, {"text": f"paper card {n}"}, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 201), response.content
    assert Card.objects.filter(workshop=workshop).count() == 20


@pytest.mark.skipif(
    "locmem" not in __import__("django.conf").conf.settings.CACHES["default"]["BACKEND"].lower(),
    reason="moves the clock of the in-process cache; Redis keeps its own",
)
def test_a_participant_writes_again_once_the_window_ends(workshop, settings, monkeypatch):
    from conet.workshops import services
    from conet.workshops.rules import BoardRefusal

    settings.CONET_BOARD_CARDS_PER_MINUTE = 3
    open_phase(workshop, "critique")
    participant, _token = join(workshop)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for n in range(3):
        services.post_card(workshop, participant=participant, text=f"card {n}")
    monkeypatch.setattr(time, "time", lambda: now + 45)
    with pytest.raises(BoardRefusal) as refused:
        services.post_card(workshop, participant=participant, text="too soon")
    assert refused.value.retry_after == 15
    monkeypatch.setattr(time, "time", lambda: now + 61)
    services.post_card(workshop, participant=participant, text="after the minute")
    assert Card.objects.filter(workshop=workshop).count() == 4


def test_a_limit_of_zero_is_no_limit(workshop, settings):
    from conet.workshops import services

    settings.CONET_BOARD_CARDS_PER_MINUTE = 0
    open_phase(workshop, "critique")
    participant, _token = join(workshop)
    for n in range(30):
        services.post_card(workshop, participant=participant, text=f"card {n}")
    assert Card.objects.filter(workshop=workshop).count() == 30


# Joining -----------------------------------------------------------------------------------------


def test_a_school_class_behind_one_address_joins_and_a_script_making_participants_is_stopped(
    workshop, settings
):
    settings.CONET_BOARD_JOINS_PER_ADDRESS = 60
    open_phase(workshop, "critique")
    class_tokens = []
    for n in range(30):  # thirty phones, one school Wi-Fi: one address
        response = _join_over_http(workshop, f"Pupil {n}", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302, response.content
        class_tokens.append(response.cookies[f"conet_workshop_{workshop.pk}"].value)

    # Every phone of the class is on the board and writes its card.
    async def scenario(port):
        phones = [BoardClient(port, workshop.pk, token=t) for t in class_tokens]
        for phone in phones:
            await phone.connect()
        refs = [await phone.post_card(f"from {n}") for n, phone in enumerate(phones)]
        for phone, ref in zip(phones, refs, strict=True):
            await phone.wait_until(lambda p=phone, r=ref: p.reply_to(r) is not None)
        for phone in phones:
            await phone.close()
        return [phone.reply_to(ref)["type"] for phone, ref in zip(phones, refs, strict=True)]

    with served() as port:
        assert asyncio.run(scenario(port)) == ["ack"] * 30

    # A script on another address makes participants in a loop, forging X-Forwarded-For (no
    # proxy is configured, so the header is not believed).
    statuses = [
        _join_over_http(
            workshop,
            f"Bot {n}",
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
        ).status_code
        for n in range(100)
    ]
    assert statuses == [302] * 60 + [429] * 40
    refused = _join_over_http(workshop, "Bot 101", REMOTE_ADDR="198.51.100.66")
    assert "Many phones have just joined from this network" in refused.content.decode()
    assert Participant.objects.filter(display_name__startswith="Bot").count() == 60
    # The school's address still has room for the next class.
    assert _join_over_http(workshop, "Late pupil", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_behind_the_proxy_each_phone_counts_as_its_own_address(workshop, settings):
    settings.CONET_PROXY_COUNT = 1
    settings.CONET_BOARD_JOINS_PER_ADDRESS = 5
    for n in range(20):
        response = _join_over_http(
            workshop, f"Resident {n}", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
        assert response.status_code == 302
    statuses = [
        _join_over_http(
            workshop, f"Bot {n}", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200"
        ).status_code
        for n in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2


def test_the_socket_knows_the_client_address_by_the_same_rule(settings):
    from conet.core.http import scope_client_address

    scope = {
        "client": ("10.0.0.2", 50000),
        "headers": [(b"x-forwarded-for", b"6.6.6.6, 192.0.2.7"), (b"host", b"conet.example")],
    }
    assert scope_client_address(scope) == "10.0.0.2"
    settings.CONET_PROXY_COUNT = 1
    assert scope_client_address(scope) == "192.0.2.7"
    assert scope_client_address({"client": None, "headers": []}) == "0.0.0.0"


# Bad messages ------------------------------------------------------------------------------------

LONG_ID = 2**64
BAD_MESSAGES = [
    # (what is sent, the refusal's code)
    (
        json.dumps({"type": "card", "client_id": "nul-1", "ref": "nul-1", "text": "a\x00b"}),
        "bad_text",
    ),
    (
        json.dumps({"type": "card", "client_id": "bel-1", "ref": "bel-1", "text": "ring\x07"}),
        "bad_text",
    ),
    (
        json.dumps({"type": "card", "client_id": "long-1", "ref": "long-1", "text": "x" * 500}),
        "invalid",
    ),
    (json.dumps({"type": "card", "client_id": "huge-1", "text": "y" * 40_000}), "too_long"),
    (json.dumps({"type": "card", "client_id": "num-1", "ref": "num-1", "text": 5}), "bad_message"),
    (json.dumps({"type": "card", "client_id": ["a"], "text": "list id"}), "bad_message"),
    (
        json.dumps(
            {"type": "card", "client_id": "r-1", "ref": "r-1", "text": "t", "responds_to": LONG_ID}
        ),
        "bad_message",
    ),
    (json.dumps({"type": "dot", "cluster": LONG_ID, "ref": "dot:+1"}), "bad_message"),
    (json.dumps({"type": "dot", "cluster": "abc", "ref": "dot:+2"}), "bad_message"),
    (json.dumps({"type": "dot", "cluster": 1, "add": "yes", "ref": "dot:+3"}), "bad_message"),
    (json.dumps({"type": "dot", "cluster": 999_999, "ref": "dot:+4"}), "not_found"),
    (json.dumps({"type": "move", "card": 1, "position": LONG_ID}), "bad_message"),
    (json.dumps({"type": "proposal", "fields": ["title"]}), "bad_message"),
    (json.dumps({"type": "proposal", "fields": {"title": 7}}), "bad_message"),
    (json.dumps({"type": "proposal", "fields": {"title": "x\x00"}}), "bad_text"),
    (json.dumps({"type": "help", "proposal": -1}), "bad_message"),
    (json.dumps({"type": "teleport"}), "bad_message"),
    (json.dumps({"type": ["card"]}), "bad_message"),
    (json.dumps({"type": "card", "ref": {"nested": True}, "text": "t"}), "bad_message"),
    (json.dumps({"type": "hello", "since": LONG_ID}), None),  # treated as "from the start"
    ("{not json", "bad_message"),
    ("[1, 2, 3]", "bad_message"),
    ("null", "bad_message"),
    ("[" * 100_000 + "]" * 100_000, "too_long"),
    ("[" * 5000 + "]" * 5000, "bad_message"),
    ('{"type": "dot", "cluster": 1' + "0" * 5000 + "}", "bad_message"),
    (b"\x00\x01binary", "bad_message"),
]


def test_every_bad_message_is_refused_with_a_message_and_the_socket_stays_open(workshop):
    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        answers = []
        for raw, code in BAD_MESSAGES:
            phone.replies.clear()
            phone.synced.clear()
            await phone.send_raw(raw)
            if code is None:
                await asyncio.wait_for(phone.synced.wait(), 10)
                answers.append(None)
                continue
            await phone.wait_until(lambda: phone.replies)
            answers.append(phone.replies[0])
        assert phone.is_open
        ref = await phone.post_card("a good card after all that")
        await phone.wait_until(lambda: phone.reply_to(ref) is not None)
        good = phone.reply_to(ref)
        await phone.close()
        return answers, good

    with served() as port:
        answers, good = asyncio.run(scenario(port))

    for (raw, code), answer in zip(BAD_MESSAGES, answers, strict=True):
        if code is None:
            continue
        assert answer["type"] == "error" and answer["code"] == code, (raw[:80], answer)
        assert answer["message"], answer
    by_client_id = {a["client_id"]: a for a in answers if a and a.get("client_id")}
    # The phone drops a refused card from its outbox by its client_id: every card refusal has it.
    assert {"nul-1", "bel-1", "long-1", "num-1", "r-1"} <= set(by_client_id)
    assert good["type"] == "ack"
    assert list(Card.objects.filter(workshop=workshop).values_list("text", flat=True)) == [
        "a good card after all that"
    ]


def test_a_refusal_of_a_broken_message_comes_in_the_phones_language(workshop):
    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token, language="de").connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        await phone.send_raw("{not json")
        await phone.wait_until(lambda: phone.replies)
        await phone.close()
        return phone.replies[0]

    with served() as port:
        refusal = asyncio.run(scenario(port))
    assert refusal["message"] == "Die Pinnwand hat diese Nachricht nicht verstanden."


def test_the_limits_are_kept_where_every_server_process_sees_them(workshop, settings):
    """The counters are cache entries (Redis when REDIS_URL is set): what one process counted,
    another reads."""
    settings.CONET_BOARD_CARDS_PER_MINUTE = 1
    participant, _token = join(workshop)
    limits.count_write(participant.pk, "card")
    assert cache.get(f"workshops:pace:card:{participant.pk}") == 1
    with pytest.raises(limits.TooFast):
        limits.count_write(participant.pk, "card")
    assert cache.get(f"workshops:pace:card:{participant.pk}") == 1


def test_a_fault_of_ours_is_answered_with_the_card_named_and_the_socket_stays_open(
    workshop, monkeypatch
):
    """An unexpected failure would fail again: the phone is told which card, and drops it."""
    from conet.workshops import services

    open_phase(workshop, "critique")
    _participant, token = join(workshop)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    async def scenario(port):
        phone = await BoardClient(port, workshop.pk, token=token).connect()
        await asyncio.wait_for(phone.synced.wait(), 10)
        ref = await phone.post_card("meets a bug", client_id="bug-1")
        await phone.wait_until(lambda: phone.reply_to(ref) is not None)
        monkeypatch.undo()
        good = await phone.post_card("after the bug")
        await phone.wait_until(lambda: phone.reply_to(good) is not None)
        await phone.close()
        return phone.reply_to(ref), phone.reply_to(good)

    monkeypatch.setattr(services, "post_card", broken)
    with served() as port:
        failed, good = asyncio.run(scenario(port))
    assert failed["code"] == "failed" and failed["client_id"] == "bug-1"
    assert failed["message"] == "This could not be saved. Try again, or tell the facilitator."
    assert good["type"] == "ack"
