"""The network, city and organisation pages show a text in the reader's language when someone
translated it, else the original with a note naming its language; in a fixed number of queries.

Addresses are built with reverse() under the reader's language, so the tests hold whether the
language is in the address (/de/…) or comes from the browser's Accept-Language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conet.core.translations import services
from tests.core.test_network_page_queries import NETWORK_PAGE_QUERIES, _network_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _get(client, language: str, name: str, *args):
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _translate(obj, field, language, text, *, machine=False):
    admin = UserFactory(is_staff=True)
    row = services.save_translation(obj, field, language, text, by=admin, expected_version=0)
    if machine:
        type(row).objects.filter(pk=row.pk).update(origin="machine")
    return row


def test_a_german_reader_sees_the_german_objectives(client, network):
    _translate(network, "objectives", "de", "- Gemeinsam **lernen**")
    page = _get(client, "de", "networks:network", network.slug)
    assert '<div class="content-text" lang="de"><ul>\n<li>Gemeinsam <strong>lernen</strong>' in page
    assert "Learn together" not in page
    assert "Original auf" not in page


def test_an_italian_reader_sees_the_original_with_a_note(client, network):
    _translate(network, "objectives", "de", "- Gemeinsam lernen")
    page = _get(client, "it", "networks:network", network.slug)
    assert '<div class="content-text" lang="en"><ul>\n<li>Learn together</li>' in page
    assert '<p class="content-note">Originale in inglese</p>' in page
    assert "Gemeinsam" not in page


def test_an_english_reader_of_an_english_text_gets_no_note(client, network):
    page = _get(client, "en", "networks:network", network.slug)
    assert "Learn together" in page
    assert "content-note" not in page


def test_a_machines_translation_says_so_and_keeps_the_original_one_tap_away(client, network):
    _translate(network, "objectives", "fr", "- Apprendre ensemble", machine=True)
    page = _get(client, "fr", "networks:network", network.slug)
    assert "Apprendre ensemble" in page
    assert "<summary>Traduit automatiquement · Afficher l'original</summary>" in page
    assert '<div lang="en"><ul>\n<li>Learn together</li>' in page  # inside the <details>


def test_a_translation_of_an_older_original_says_so(client, network):
    _translate(network, "objectives", "de", "- Gemeinsam lernen")
    network.objectives = "- Learn and act together"
    network.save()
    page = _get(client, "de", "networks:network", network.slug)
    assert "Gemeinsam lernen" in page
    assert "Aus einer früheren Fassung des Originals auf Englisch übersetzt." in page


def test_the_city_page_shows_the_citys_text_and_focus_area_in_the_readers_language(
    client, network, city
):
    city.description = "A port city."
    city.languages = "en"
    city.save()
    partnership = city.partnerships.get()
    partnership.focus_area_name = "Harbour"
    partnership.focus_area_description = "The old harbour."
    partnership.save()
    _translate(city, "description", "it", "Una città portuale.")
    _translate(partnership, "focus_area_description", "it", "Il vecchio porto.")
    page = _get(client, "it", "networks:city", city.slug)
    assert '<div class="content-text" lang="it"><p>Una città portuale.</p>' in page
    assert "Il vecchio porto." in page


def test_the_organisation_page_shows_the_original_with_a_note(client):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(description="Research and education", language="it")
    page = _get(client, "de", "networks:organisation", organisation.slug)
    assert '<p class="content-note">Original auf Italienisch</p>' in page


def _queries(client, language, network) -> int:
    with translation.override(language):
        url = reverse("networks:network", args=[network.slug])
    client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # warm the content-type cache
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return len(queries)


def test_a_reader_in_another_language_costs_one_query_whatever_is_translated(client):
    small = _network_with(partners=2)
    large = _network_with(partners=30)
    for field in ("objectives", "activities", "results"):
        setattr(large, field, f"Text of {field}")
    large.save()
    for field in ("objectives", "activities", "results"):
        _translate(large, field, "de", f"Text von {field}")
    assert _queries(client, "en", small) == NETWORK_PAGE_QUERIES
    assert _queries(client, "de", small) == NETWORK_PAGE_QUERIES + 1
    assert _queries(client, "de", large) == NETWORK_PAGE_QUERIES + 1


def test_the_city_page_query_count_does_not_grow_with_translated_partnerships(client):
    from tests.factories import CityFactory, NetworkFactory, PartnershipFactory

    def city_with(networks: int):
        city = CityFactory(languages="en", description="A city.")
        for network in NetworkFactory.create_batch(networks):
            partnership = PartnershipFactory(
                network=network,
                city=city,
                focus_area_name="Area",
                focus_area_description="An area.",
            )
            _translate(partnership, "focus_area_description", "de", "Ein Gebiet.")
        return city

    def queries(city) -> int:
        with translation.override("de"):
            url = reverse("networks:city", args=[city.slug])
        client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert page.count("Ein Gebiet.") == city.partnerships.count()
        return len(captured)

    assert queries(city_with(1)) == queries(city_with(6))
