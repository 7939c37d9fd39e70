"""The practice, meeting and consultation pages show each long text in the reader's language when
it was translated, in a number of queries that does not grow with the agenda."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conet.core.translations import services
from tests.factories import ConsultationFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.practices.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_staff=True)


def _page(client, language, name, *args) -> tuple[str, int]:
    with translation.override(language):
        url = reverse(name, args=args)
    client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_practice_page_shows_its_sections_in_the_readers_language(client, network, admin):
    practice = GoodPracticeFactory(network=network, summary="Gardens on empty plots.")
    services.save_translation(
        practice, "summary", "it", "Orti su terreni vuoti.", by=admin, expected_version=0
    )
    page, italian = _page(client, "it", "practices:detail", practice.slug)
    assert '<div class="content-text" lang="it"><p>Orti su terreni vuoti.</p>' in page
    # the short description has no Italian version: the original, with its note
    assert "A short description" in page and "Originale in inglese" in page
    _page_en, english = _page(client, "en", "practices:detail", practice.slug)
    assert italian == english + 1  # the translations of every text, in one query


@pytest.mark.parametrize("items", [1, 8])
def test_the_meeting_agenda_is_translated_in_one_query_whatever_its_length(
    client, network, city, admin, items
):
    meeting = MeetingFactory(
        network=network, host_city=city, description="Welcome to Palermo.", language="en"
    )
    for number in range(items):
        item = AgendaItemFactory(meeting=meeting, description=f"Visit {number}")
        services.save_translation(
            item, "description", "de", f"Besuch {number}", by=admin, expected_version=0
        )
    page, german = _page(client, "de", "meetings:meeting", meeting.pk)
    assert all(f"Besuch {number}" in page for number in range(items))
    assert "Welcome to Palermo." in page and "Original auf Englisch" in page
    _page_en, english = _page(client, "en", "meetings:meeting", meeting.pk)
    assert german == english + 1


def test_the_consultations_introduction_is_shown_in_the_readers_language(client, city, admin):
    consultation = ConsultationFactory(city=city, description="Tell us about the square.")
    services.save_translation(
        consultation,
        "description",
        "ro",
        "Spuneți-ne despre piață.",
        by=admin,
        expected_version=0,
    )
    page, _queries = _page(client, "ro", "consultations:vote", consultation.slug)
    assert "Spuneți-ne despre piață." in page
