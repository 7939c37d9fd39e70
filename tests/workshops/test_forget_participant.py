"""A participant deletes what their phone contributed: while the workshop runs their cards and dots
go from every board (and from the event log a phone catches up from); once it has ended, the
protocol keeps their cards without their name. Names are removed by the retention rule too."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conet.workshops import services
from conet.workshops.consumers import TOKEN_COOKIE
from conet.workshops.models import Card, Dot, Participant, Workshop, WorkshopEvent
from tests.workshops.factories import ClusterFactory, WorkshopFactory, join, open_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(city):
    workshop = WorkshopFactory(city=city, anonymous_cards=False)
    phase = open_phase(workshop, "critique", "write")
    cluster = ClusterFactory(workshop=workshop, phase=phase)
    mine, raw = join(workshop, name="Maria Muster")
    other, _raw = join(workshop, name="Otto")
    services.post_card(workshop, participant=mine, text="Maria's card about traffic")
    services.post_card(workshop, participant=other, text="Otto's card about noise")
    Dot.objects.create(participant=mine, cluster=cluster, phase=phase)
    Dot.objects.create(participant=other, cluster=cluster, phase=phase)
    return workshop, mine, raw, other


def _log() -> str:
    return json.dumps(list(WorkshopEvent.objects.values_list("payload", flat=True)))


def test_a_phone_deletes_its_cards_and_dots_from_a_running_workshop(board, client):
    workshop, mine, raw, other = board
    client.cookies[TOKEN_COOKIE.format(id=workshop.pk)] = raw
    url = reverse("workshops:forget_me", args=[workshop.code])
    assert (
        url
        in client.get(reverse("workshops:participant_board", args=[workshop.code])).content.decode()
    )
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.status_code == 302
    assert not Participant.objects.filter(pk=mine.pk).exists()
    assert list(Card.objects.values_list("text", flat=True)) == ["Otto's card about noise"]
    assert list(Dot.objects.values_list("participant_id", flat=True)) == [other.pk]
    log = _log()
    assert "Maria" not in log and "Otto's card about noise" in log
    kinds = list(WorkshopEvent.objects.order_by("seq").values_list("kind", flat=True))
    assert "card.deleted" in kinds and kinds[-1] == "participant.removed"
    dots_event = WorkshopEvent.objects.filter(kind="dots").order_by("-seq").first()
    assert dots_event.payload["dots"] == 1
    assert response.cookies[TOKEN_COOKIE.format(id=workshop.pk)].value == ""


def test_a_finished_workshops_protocol_keeps_the_cards_without_the_name(board, client):
    workshop, mine, raw, _other = board
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.FINISHED)
    client.cookies[TOKEN_COOKIE.format(id=workshop.pk)] = raw

    response = client.post(reverse("workshops:forget_me", args=[workshop.code]))

    assert response.status_code == 302
    card = Card.objects.get(text="Maria's card about traffic")
    assert card.participant.display_name == "" and card.participant.public_name == "Anonymous"
    assert Dot.objects.filter(participant=mine).exists()
    assert services.participant_for_token(workshop.pk, raw) is None
    assert "Maria Muster" not in _log()


def test_without_the_phones_token_nothing_is_deleted(board, client):
    workshop, _mine, _raw, _other = board
    client.cookies[TOKEN_COOKIE.format(id=workshop.pk)] = "a guessed token"
    response = client.post(reverse("workshops:forget_me", args=[workshop.code]))
    assert response.status_code == 302
    assert Card.objects.count() == 2 and Participant.objects.count() == 2


def test_retention_removes_names_of_workshops_finished_long_enough(settings, city):
    settings.CONET_RETENTION_WORKSHOP_NAMES_DAYS = 90
    now = timezone.now()
    old = WorkshopFactory(city=city, starts_at=now - timedelta(days=91))
    recent = WorkshopFactory(city=city, starts_at=now - timedelta(days=89))
    running_long = WorkshopFactory(city=city, starts_at=now - timedelta(days=200))
    due, _raw = join(old, name="Ana")
    kept = [join(recent, name="Bea")[0], join(running_long, name="Cem")[0]]
    Workshop.objects.filter(pk__in=[old.pk, recent.pk]).update(status=Workshop.Status.FINISHED)

    assert services.erase_names_after_workshops(now) == 1
    assert services.erase_names_after_workshops(now) == 0  # done once

    due.refresh_from_db()
    assert due.display_name == "" and due.token_hash.startswith("erased:")
    assert [Participant.objects.get(pk=p.pk).display_name for p in kept] == ["Bea", "Cem"]
