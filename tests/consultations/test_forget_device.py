"""An anonymous participant deletes what their device contributed to a consultation: its votes go and
the opinion groups are computed again without them; statements stay, without an author. Devices'
links are cut by the retention rule once a consultation has been closed long enough."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from conet.consultations import services
from conet.consultations.models import OpinionResult, Participant, Statement, Vote
from conet.consultations.simulation import planted_conversation
from conet.consultations.views import DEVICE_COOKIE, DEVICE_SALT
from tests.factories import ConsultationFactory, ParticipantFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _as_device(client, participant: Participant, token: str) -> None:
    Participant.objects.filter(pk=participant.pk).update(device_hash=Participant.hash_device(token))
    signer = signing.get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT)
    client.cookies[DEVICE_COOKIE] = signer.sign(token)


def _conversation(city, people: int, statements: int):
    consultation = ConsultationFactory(city=city)
    stored = StatementFactory.create_batch(statements, consultation=consultation)
    participants = ParticipantFactory.create_batch(people, consultation=consultation)
    table = planted_conversation(
        people, statements, n_groups=2, vote_share=0.7, loyalty=0.95, seed=1
    ).table
    Vote.objects.bulk_create(
        Vote(participant=participants[r], statement=stored[c], value=int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    )
    services.recompute(consultation)
    return consultation, participants, stored


def test_a_device_deletes_its_votes_and_the_groups_are_recomputed(
    city, client, django_capture_on_commit_callbacks
):
    consultation, participants, stored = _conversation(city, 30, 12)
    mine = participants[0]
    Statement.objects.filter(pk=stored[0].pk).update(author=mine)
    my_votes = mine.votes.count()
    votes_before = Vote.objects.count()
    _as_device(client, mine, "my-phone")
    url = reverse("consultations:forget_me", args=[consultation.slug])

    page = client.get(url)
    assert page.status_code == 200
    assert f"{my_votes} votes" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not Participant.objects.filter(pk=mine.pk).exists()
    assert Vote.objects.count() == votes_before - my_votes
    # Others' votes on the statement this device wrote still count; the statement has no author.
    assert Statement.objects.get(pk=stored[0].pk).author is None
    result = OpinionResult.objects.get(consultation=consultation)
    assert result.votes_used == votes_before - my_votes
    assert response.cookies[DEVICE_COOKIE].value == ""


def test_the_consultation_page_offers_the_deletion_once_the_device_has_voted(city, client):
    consultation, participants, _stored = _conversation(city, 5, 4)
    url = reverse("consultations:vote", args=[consultation.slug])
    forget = reverse("consultations:forget_me", args=[consultation.slug])
    assert forget not in client.get(url).content.decode()
    _as_device(client, participants[0], "my-phone")
    assert forget in client.get(url).content.decode()


def test_a_device_that_never_voted_deletes_nothing(city, client):
    consultation, _participants, _stored = _conversation(city, 5, 4)
    before = Vote.objects.count()
    response = client.post(reverse("consultations:forget_me", args=[consultation.slug]))
    assert response.status_code == 302
    assert Vote.objects.count() == before


def test_another_devices_cookie_cannot_be_forged(city, client):
    consultation, participants, _stored = _conversation(city, 5, 4)
    _as_device(client, participants[0], "my-phone")
    client.cookies[DEVICE_COOKIE] = "my-phone"  # unsigned: not a cookie CoNet gave
    before = Vote.objects.count()
    client.post(reverse("consultations:forget_me", args=[consultation.slug]))
    assert Vote.objects.count() == before


def test_retention_cuts_devices_of_consultations_closed_long_enough(settings, city):
    settings.CONET_RETENTION_CONSULTATION_DEVICE_DAYS = 30
    now = timezone.now()
    long_closed = ConsultationFactory(
        city=city, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=31)
    )
    just_closed = ConsultationFactory(
        city=city, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=29)
    )
    still_open = ConsultationFactory(city=city)
    due = ParticipantFactory(consultation=long_closed)
    statement = StatementFactory(consultation=long_closed)
    Vote.objects.create(participant=due, statement=statement, value=1)
    kept = [ParticipantFactory(consultation=c) for c in (just_closed, still_open)]

    assert services.cut_device_links(now) == 1
    assert services.cut_device_links(now) == 0  # done once

    due.refresh_from_db()
    assert due.device_hash.startswith("erased:")
    assert due.votes.count() == 1  # the vote stays in the record
    for participant in kept:
        assert participant.device_hash == Participant.objects.get(pk=participant.pk).device_hash
        assert not Participant.objects.get(pk=participant.pk).device_hash.startswith("erased:")
