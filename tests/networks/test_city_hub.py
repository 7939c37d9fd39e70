"""The city page as the city's hub: its networks and plans, its workshops and consultations with
residents, the meetings it hosts, its requests for expert support and its monitoring — each with
its latest state, as far as the reader may see it, at a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conet.workshops.models import Workshop
from tests.exchange.factories import SupportRequestFactory
from tests.factories import AreaFactory, AreaLevelFactory, ConsultationFactory
from tests.meetings.factories import MeetingFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def _page(client, city, language: str = "en") -> str:
    with translation.override(language):
        url = reverse("networks:city", args=[city.slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story(city, network, people):
    """Two finished workshops and a running one, a closed consultation, a public meeting here,
    a request for expert support and monitoring areas."""
    WorkshopFactory(city=city, network=None, title="Ballarò 2030", status=Workshop.Status.FINISHED)
    WorkshopFactory(city=city, network=None, title="Our square", status=Workshop.Status.RUNNING)
    ConsultationFactory(
        city=city,
        slug="market",
        question="What should the market become?",
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=2),
    )
    MeetingFactory(
        network=network, host_city=city, title="Thematic meeting on housing", is_public=True
    )
    partnership = city.partnerships.get(network=network)
    SupportRequestFactory(
        partnership=partnership,
        title="Help with a participatory budget",
        created_by=people["city_coordinator"],
    )
    level = AreaLevelFactory(city=city)
    for n in range(3):
        AreaFactory(level=level, code=f"Q{n}")
    return city


def test_a_visitor_sees_each_part_of_the_process_with_its_latest_state(client, story):
    page = _page(client, story, "it")
    assert "Ballarò 2030" in page and "Our square" in page
    with translation.override("it"):
        finished = Workshop.objects.get(title="Ballarò 2030").pk
        protocol = reverse("workshops:protocol", args=[finished])
        running = reverse("workshops:protocol", args=[Workshop.objects.get(title="Our square").pk])
        results = reverse("consultations:results", args=["market"])
    assert protocol in page  # a finished workshop's record is public
    assert running not in page  # a running one's is not: no link into a refusal
    assert results in page
    assert "Thematic meeting on housing" in page
    assert "3 aree, 0 indicatori" in page
    # Requests for expert support are for signed-in people; the section is not shown to visitors.
    assert "Help with a participatory budget" not in page


def test_a_signed_in_member_also_sees_the_requests_for_expert_support(client_as, people, story):
    page = _page(client_as(people["lsg_member"]), story)
    assert "Help with a participatory budget" in page


def test_an_empty_city_says_what_is_not_there_yet(client, city):
    page = _page(client, city)
    for empty in (
        "No Future Workshop yet.",
        "No closed consultation yet.",
        "No meeting planned here.",
        "No monitoring data yet.",
    ):
        assert empty in page


def test_languages_are_named_not_coded(client, city):
    city.languages = "it,en"
    city.save()
    page = _page(client, city, "de")
    assert '<span lang="it">italiano</span>' in page and '<span lang="en">English</span>' in page


def _queries(client, city) -> int:
    _page(client, city)
    with CaptureQueriesContext(connection) as queries:
        _page(client, city)
    return len(queries)


def test_the_hub_costs_the_same_queries_however_much_happened_there(
    client_as, people, story, network
):
    for reader in (None, people["city_coordinator"]):
        client = client_as(reader)
        before = _queries(client, story)
        for n in range(6):
            WorkshopFactory(city=story, network=None, title=f"Workshop {n}")
            MeetingFactory(network=network, host_city=story, is_public=True)
            SupportRequestFactory(
                partnership=story.partnerships.first(), created_by=people["city_coordinator"]
            )
        assert _queries(client, story) == before
        assert before <= 20  # the budget of the other public pages (network page: tests/networks)
