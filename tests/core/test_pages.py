"""Public pages, 404 in the visitor's language, and the language switcher."""

import pytest

from conet.networks.demo import load_demo


@pytest.mark.django_db
def test_home_and_conet_page_show_the_network_and_its_eleven_partners(client):
    load_demo()
    home = client.get("/en/")
    assert home.status_code == 200
    assert "CoNet – Cohesion Network" in home.content.decode()
    page = client.get("/en/networks/conet/").content.decode()
    for section in [
        "Objectives",
        "Activities",
        "Results",
        "Partners",
        "Info & contacts",
        "In action",
    ]:
        assert section in page
    for city in ["Berlin", "Palermo", "Liverpool", "Vaulx-en-Velin", "Sofia", "Alba Iulia",
                 "Brussels", "Apeldoorn", "Zabrze", "Malmö", "Gijón"]:  # fmt: skip
        assert city in page
    assert page.count('class="partner"') == 11
    assert "Coordinator (lead partner)" in page
    assert "21 April 2008" in page or "April 21, 2008" in page or "Apr. 21, 2008" in page


@pytest.mark.django_db
def test_city_and_organisation_pages(client):
    load_demo()
    assert "Ballarò" in client.get("/en/cities/palermo/").content.decode()
    organisation = client.get("/en/organisations/cesie/").content.decode()
    assert "Fact sheets" in organisation
    assert "CREINTWIN" in organisation


@pytest.mark.django_db
def test_empty_states_are_honest(client):
    assert "No networks yet" in client.get("/en/").content.decode()
    assert "No cities yet" in client.get("/en/cities/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Page not found"), ("de", "Seite nicht gefunden"), ("it", "Pagina non trovata")],
)
def test_unknown_page_gives_404_in_the_visitors_language(client, language, text):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert text in body


@pytest.mark.django_db
def test_language_switcher_sets_the_interface_language(client):
    load_demo()
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/en/networks/conet/"})
    assert response.status_code == 302 and response["Location"] == "/it/networks/conet/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="it"' in page
    assert "Obiettivi" in page
    # The choice is remembered: an unprefixed link leads to the Italian page.
    assert client.get("/networks/conet/")["Location"] == "/it/networks/conet/"


@pytest.mark.django_db
def test_unknown_network_gives_404(client):
    assert client.get("/en/networks/nope/").status_code == 404
    assert client.get("/api/v1/networks/nope").status_code == 404


@pytest.mark.django_db
def test_cities_list_paginates_and_searches(client):
    load_demo()
    body = client.get("/en/cities/?q=pal").content.decode()
    assert "Palermo" in body and "Berlin" not in body
    assert "No city matches" in client.get("/en/cities/?q=zzz").content.decode()
