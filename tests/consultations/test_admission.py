"""Ballot stuffing (issue 17, finding 4): what a new participant without a cookie costs, what
one client address may do, and the bursts a moderator sets aside and brings back."""

import io
import re
import time
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from conet.consultations import admission, polis, selectors, services
from conet.consultations.models import Consultation, OpinionResult, Participant, Statement, Vote
from conet.consultations.simulation import planted_conversation
from conet.core.languages import in_language
from tests.conftest import ROLES
from tests.factories import ConsultationFactory, ParticipantFactory, StatementFactory

RUNS = {"platform_admin", "city_coordinator", "network_coordinator"}
ITALIAN_TOO_MANY = "Molte persone si sono appena unite a questa consultazione dalla Sua rete"


@pytest.fixture(autouse=True)
def _light_proof(settings):
    # A phone does 16 bits in a fraction of a second; Python in a test needs no more than 10.
    settings.CONET_CONSULTATION_PROOF_BITS = 10


@pytest.fixture
def consultation(city):
    consultation = ConsultationFactory(city=city, slug="ballaro", question="Ballarò tomorrow?")
    StatementFactory(consultation=consultation, number=0, text="More benches on the square")
    StatementFactory(consultation=consultation, number=1, text="A night bus")
    return consultation


def solve(ticket: str, bits: int = 10) -> str:
    nonce = 0
    while not admission.proof_holds(ticket, str(nonce), bits):
        nonce += 1
    return str(nonce)


def ticket_on(page) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)


def vote_url(consultation) -> str:
    return reverse("consultations:cast_vote", args=[consultation.slug])


def as_a_phone(client, consultation, value: str = "1", headers=None):
    """What consultations.js does: load the page, find the proof, send the vote in place."""
    page = client.get(consultation.get_absolute_url(), headers=headers)
    ticket = ticket_on(page)
    statement = page.context["statement"]
    return client.post(
        vote_url(consultation),
        {"statement": statement.pk, "value": value, "ticket": ticket, "proof": solve(ticket)},
        headers={"X-Requested-With": "fetch", **(headers or {})},
    )


def test_a_script_without_the_cookie_making_150_votes_is_stopped(consultation, client):
    statement = consultation.statements.get(number=0)
    statuses = []
    for _ in range(150):
        client.cookies.clear()
        response = client.post(
            in_language(vote_url(consultation), "it"),
            {"statement": statement.pk, "value": "1"},
            headers={"X-Requested-With": "fetch"},
        )
        statuses.append(response.status_code)
    assert statuses.count(200) == 10  # the plain form's limit per address
    assert statuses.count(429) == 140
    assert ITALIAN_TOO_MANY in response.content.decode()
    # Nothing stored for a refused vote: no participant, no vote.
    assert Participant.objects.count() == 10
    assert Vote.objects.count() == 10


def test_a_script_that_loads_the_page_and_does_the_work_still_meets_the_address_limit(
    consultation, client
):
    statuses = []
    for _ in range(70):
        client.cookies.clear()
        statuses.append(as_a_phone(client, consultation).status_code)
    assert statuses.count(200) == 60
    assert statuses[60:] == [429] * 10
    assert Participant.objects.count() == Vote.objects.count() == 60


def test_forty_phones_behind_one_address_all_vote(consultation, client_factory):
    for _ in range(40):
        phone = client_factory()
        assert as_a_phone(phone, consultation).status_code == 200
        # The device now has its cookie: its next vote costs nothing more.
        second = phone.get(consultation.get_absolute_url()).context["statement"]
        assert 'name="ticket"' not in phone.get(consultation.get_absolute_url()).content.decode()
        response = phone.post(
            vote_url(consultation),
            {"statement": second.pk, "value": "-1"},
            headers={"X-Requested-With": "fetch"},
        )
        assert response.status_code == 200
    assert Participant.objects.count() == 40
    assert set(Participant.objects.values_list("admission", flat=True)) == {"proof"}
    assert Vote.objects.count() == 80


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def test_the_plain_form_works_for_a_person_without_javascript(consultation, client):
    page = client.get(consultation.get_absolute_url())
    assert 'name="proof" value=""' in page.content.decode()
    response = client.post(
        vote_url(consultation),
        {"statement": page.context["statement"].pk, "value": "1", "ticket": ticket_on(page)},
    )
    assert response.status_code == 302
    assert Participant.objects.get().admission == Participant.Admission.PLAIN


def _forged(consultation, client):
    ticket = ticket_on(client.get(consultation.get_absolute_url()))
    return ticket[:-3] + ("abc" if not ticket.endswith("abc") else "xyz")


def _expired(consultation, client):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 3600):
        return admission.issue_ticket(consultation)


def _other_consultations(consultation, client):
    other = ConsultationFactory(city=consultation.city, slug="another")
    StatementFactory(consultation=other, number=0)
    return ticket_on(client.get(other.get_absolute_url()))


@pytest.mark.parametrize("make_ticket", [_forged, _expired, _other_consultations])
def test_a_forged_expired_or_other_consultations_ticket_is_refused(
    make_ticket, consultation, client
):
    ticket = make_ticket(consultation, client)
    response = client.post(
        vote_url(consultation),
        {
            "statement": consultation.statements.get(number=0).pk,
            "value": "1",
            "ticket": ticket,
            "proof": solve(ticket),
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not Participant.objects.exists() and not Vote.objects.exists()
    # The card that comes back carries a fresh ticket: a real person just votes again.
    assert ticket_on(response) != ticket


def test_a_ticket_makes_one_participant_only(consultation, client):
    page = client.get(consultation.get_absolute_url())
    ticket = ticket_on(page)
    data = {"statement": page.context["statement"].pk, "value": "1", "ticket": ticket}
    data["proof"] = solve(ticket)
    assert client.post(vote_url(consultation), data).status_code == 302
    client.cookies.clear()
    assert client.post(vote_url(consultation), data).status_code == 422
    assert Participant.objects.count() == 1


def test_a_wrong_proof_is_refused(consultation, client):
    page = client.get(consultation.get_absolute_url())
    ticket = ticket_on(page)
    proof = next(str(n) for n in range(10_000) if not admission.proof_holds(ticket, str(n), 10))
    response = client.post(
        vote_url(consultation),
        {"statement": page.context["statement"].pk, "value": "1", "ticket": ticket, "proof": proof},
    )
    assert response.status_code == 422
    assert not Participant.objects.exists()


def test_a_first_statement_without_a_cookie_needs_the_ticket_too(consultation, client):
    page = client.get(consultation.get_absolute_url())
    ticket = ticket_on(page)
    response = client.post(
        reverse("consultations:add_statement", args=[consultation.slug]),
        {"text": "Trees on the square", "ticket": ticket, "proof": solve(ticket)},
    )
    assert response.status_code == 302
    assert Participant.objects.get().admission == Participant.Admission.PROOF


# Suspicious bursts ----------------------------------------------------------------------------


def _conversation(city) -> Consultation:
    """60 participants in two planted groups, from many addresses, and a burst of 15 new
    participants from one address within minutes, all agreeing with every statement."""
    consultation = ConsultationFactory(city=city, slug="quartiere")
    items = StatementFactory.create_batch(8, consultation=consultation)
    people = [
        ParticipantFactory(consultation=consultation, address_hash=f"{n:016x}") for n in range(60)
    ]
    # Residents over a day, not all at once.
    for minutes, participant in enumerate(people):
        Participant.objects.filter(pk=participant.pk).update(
            created_at=timezone.now() - timedelta(minutes=20 * (minutes + 1))
        )
    table = planted_conversation(60, 8, n_groups=2, vote_share=0.9, loyalty=0.95, seed=3).table
    Vote.objects.bulk_create(
        Vote(participant=people[r], statement=items[c], value=int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    )
    burst = ParticipantFactory.create_batch(
        15, consultation=consultation, address_hash=admission.address_hash("203.0.113.9")
    )
    Vote.objects.bulk_create(
        Vote(participant=participant, statement=item, value=1)
        for participant in burst
        for item in items
    )
    services.recompute(consultation)
    return consultation


def _counts(consultation) -> dict:
    page = selectors.results_page(consultation, None)
    return {row.statement.pk: row.bars[0].agree for row in page.rows}


def test_a_burst_shows_for_the_moderator_and_setting_it_aside_keeps_the_rows(
    city, people, client_as, django_capture_on_commit_callbacks
):
    consultation = _conversation(city)
    before = OpinionResult.objects.get(consultation=consultation)
    counts_before = _counts(consultation)
    votes, participants = Vote.objects.count(), Participant.objects.count()

    client = client_as(people["city_coordinator"])
    page = client.get(reverse("consultations:moderate", args=[consultation.slug]))
    (burst,) = page.context["bursts"]
    assert burst.size == 15 and burst.agreement == 100
    assert 'id="bursts"' in page.content.decode()

    url = reverse("consultations:set_burst_aside", args=[consultation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"burst": burst.key, "action": "aside"})
    assert response.status_code == 302
    after = OpinionResult.objects.get(consultation=consultation)
    assert after.participants_placed == before.participants_placed - 15
    assert after.votes_used == before.votes_used - 15 * 8
    counts_after = _counts(consultation)
    assert all(counts_after[pk] == counts_before[pk] - 15 for pk in counts_before)
    # The opinion groups no longer hold the burst's participants.
    placed = {row[0] for row in after.data["participants"]}
    assert placed.isdisjoint(burst.participant_ids)
    sizes = [group["size"] for group in after.data["groups"]]
    assert sum(sizes) == sum(group["size"] for group in before.data["groups"]) - 15
    # Kept in the record.
    assert (Vote.objects.count(), Participant.objects.count()) == (votes, participants)
    assert Participant.objects.filter(set_aside_at__isnull=False).count() == 15
    (listed,) = client.get(reverse("consultations:moderate", args=[consultation.slug])).context[
        "bursts"
    ]
    assert listed.is_set_aside

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"burst": burst.key, "action": "restore"})
    restored = OpinionResult.objects.get(consultation=consultation)
    assert restored.participants_placed == before.participants_placed
    assert _counts(consultation) == counts_before
    assert not Participant.objects.filter(set_aside_at__isnull=False).exists()


def test_a_class_voting_from_one_address_is_not_a_suspicious_burst(city):
    consultation = _conversation(city)
    Participant.objects.filter(address_hash__startswith="0000").update(address_hash="school")
    assert [burst.size for burst in selectors.suspicious_bursts(consultation)] == [15]


def test_a_script_changing_its_address_shows_as_a_burst_too(city):
    consultation = _conversation(city)
    Participant.objects.filter(address_hash=admission.address_hash("203.0.113.9")).delete()
    items = list(consultation.statements.all())
    for n in range(12):
        participant = ParticipantFactory(
            consultation=consultation, address_hash=admission.address_hash(f"198.51.100.{n}")
        )
        Vote.objects.bulk_create(
            Vote(participant=participant, statement=s, value=-1) for s in items
        )
    (burst,) = selectors.suspicious_bursts(consultation)
    assert (burst.size, burst.addresses, burst.agreement) == (12, 12, 100)
    assert burst.key.startswith("any-")


def test_the_export_keeps_set_aside_votes_in_their_own_file(city, people):
    consultation = _conversation(city)
    (burst,) = selectors.suspicious_bursts(consultation)
    services.set_burst_aside(consultation, by=people["platform_admin"], key=burst.key, aside=True)
    files = polis.export_files(consultation)
    aside_rows = files[polis.SET_ASIDE_FILE].strip().splitlines()[1:]
    assert len(aside_rows) == 15 * 8
    total = Vote.objects.filter(statement__consultation=consultation).count()
    assert len(files["votes.csv"].strip().splitlines()[1:]) == total - 15 * 8
    assert len(files["participants-votes.csv"].strip().splitlines()[1:]) == 60
    archive = zipfile.ZipFile(io.BytesIO(polis.export_zip(consultation)))
    assert polis.SET_ASIDE_FILE in archive.namelist()


@pytest.mark.parametrize("role", ROLES)
def test_setting_a_burst_aside_only_for_who_moderates(role, people, city, client_as):
    consultation = _conversation(city)
    (burst,) = selectors.suspicious_bursts(consultation)
    response = client_as(people[role]).post(
        reverse("consultations:set_burst_aside", args=[consultation.slug]),
        {"burst": burst.key, "action": "aside"},
    )
    aside = Participant.objects.filter(set_aside_at__isnull=False).count()
    if role in RUNS:
        assert response.status_code == 302
        assert aside == 15
    else:
        if role == "visitor":
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 403
        assert aside == 0


@pytest.mark.parametrize("role", ROLES)
def test_restoring_a_burst_only_for_who_moderates(role, people, city, client_as):
    consultation = _conversation(city)
    (burst,) = selectors.suspicious_bursts(consultation)
    services.set_burst_aside(consultation, by=people["platform_admin"], key=burst.key, aside=True)
    response = client_as(people[role]).post(
        reverse("consultations:set_burst_aside", args=[consultation.slug]),
        {"burst": burst.key, "action": "restore"},
    )
    aside = Participant.objects.filter(set_aside_at__isnull=False).count()
    assert aside == (0 if role in RUNS else 15)
    assert response.status_code in ((302,) if role in RUNS or role == "visitor" else (403,))


def test_an_unknown_burst_is_refused_and_changes_nothing(city, people):
    consultation = _conversation(city)
    with pytest.raises(services.ValidationError):
        services.set_burst_aside(consultation, by=people["platform_admin"], key="x-1", aside=True)
    assert not Participant.objects.filter(set_aside_at__isnull=False).exists()


def test_the_statement_card_of_a_known_device_carries_no_ticket(consultation, client):
    as_a_phone(client, consultation)
    assert 'name="ticket"' not in client.get(consultation.get_absolute_url()).content.decode()
    assert Statement.objects.count() == 2
