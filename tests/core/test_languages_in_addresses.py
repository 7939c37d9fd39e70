"""The language is the first part of every page's address (ADR 0003, docs/i18n.md): unprefixed
addresses redirect by the visitor's choice, the event's language, then Accept-Language; programs'
addresses carry no prefix; every page lists its alternates; links residents and e-mail readers
get are in their language."""

import re

import pytest
import segno
from django.conf import settings
from django.core import mail
from django.urls import reverse

from conet.core.activity import record_activity
from conet.core.languages import in_language, without_language
from conet.notifications.services import notify, send_immediate, set_email_preference
from tests.factories import ConsultationFactory, UserFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_an_unprefixed_page_goes_to_the_browsers_language_and_keeps_its_query(client):
    response = client.get("/cities/?q=pal&page=2", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/it/cities/?q=pal&page=2"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_without_a_choice_or_a_browser_language_an_unprefixed_page_is_english(client):
    assert client.get("/")["Location"] == "/en/"
    assert client.get("/cities")["Location"] == "/en/cities/"  # the slash added too


def test_the_language_chosen_with_the_switch_beats_the_browsers(client):
    client.cookies[LANGUAGE_COOKIE] = "bg"
    response = client.get("/cities/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/bg/cities/"


def test_a_prefixed_address_wins_over_the_cookie_and_the_browser(client):
    client.cookies[LANGUAGE_COOKIE] = "bg"
    page = client.get("/sv/cities/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="sv"' in page and "Städer" in page


def test_a_form_posted_to_an_unprefixed_address_is_redirected_with_its_body(client):
    response = client.post("/accounts/login/", {"username": "x@example.org", "password": "y"})
    assert response.status_code == 307  # the browser posts it again, body and all
    assert response["Location"] == "/en/accounts/login/"


def test_the_switch_leads_to_the_same_page_and_remembers_the_choice(client, network):
    response = client.post(
        "/i18n/setlang/", {"language": "pl", "next": f"/en/networks/{network.slug}/?tab=map"}
    )
    assert response["Location"] == f"/pl/networks/{network.slug}/?tab=map"
    assert response.cookies[LANGUAGE_COOKIE].value == "pl"
    assert client.get("/cities/")["Location"] == "/pl/cities/"
    # From a page in another language than the one remembered (a link someone sent).
    response = client.post("/i18n/setlang/", {"language": "ro", "next": "/it/cities/?q=a"})
    assert response["Location"] == "/ro/cities/?q=a"


def test_every_page_lists_itself_in_each_language_and_the_switch_keeps_the_page(client, network):
    page = client.get(f"/de/networks/{network.slug}/?tab=map").content.decode()
    head, body = page.split("</head>")
    site = settings.CONET_SITE_URL.rstrip("/")
    for code, _name in settings.LANGUAGES:
        alternate = f'<link rel="alternate" hreflang="{code}" href="{site}/{code}/networks/'
        assert alternate + f'{network.slug}/?tab=map">' in head
    assert f'hreflang="x-default" href="{site}/networks/{network.slug}/?tab=map"' in head
    switch = body.split('class="language-switch"')[1].split("</form>")[0]
    assert f'name="next" value="/de/networks/{network.slug}/?tab=map"' in switch
    assert switch.count('name="language"') == len(settings.LANGUAGES) - 1  # all but German


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/networks",
        "/networks/testnet/feed/",
        "/networks/testnet/meetings.ics",
        "/robots.txt",
        "/favicon.ico",
    ],
)
def test_addresses_for_programs_carry_no_language(client, network, path):
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="it").status_code == 200
    assert client.get("/it" + path).status_code == 404


def test_signing_in_keeps_the_language_of_the_page_asked_for(client):
    response = client.get("/it/dashboard/")
    assert response["Location"] == "/it/accounts/login/?next=/it/dashboard/"
    assert "Accedi" in client.get(response["Location"]).content.decode()


# Resident pages ---------------------------------------------------------------------------------


@pytest.fixture
def romanian_workshop(city, people):
    workshop = WorkshopFactory(city=city, network=None, language="ro")
    workshop.facilitators.add(people["city_coordinator"])
    return workshop


def test_an_unprefixed_join_link_opens_in_the_workshops_language_for_an_english_browser(
    client, romanian_workshop
):
    code = romanian_workshop.code
    response = client.get(f"/w/{code}/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert response["Location"] == f"/ro/w/{code}/"


def test_a_resident_who_chose_a_language_keeps_it_on_an_unprefixed_join_link(
    client, romanian_workshop
):
    client.cookies[LANGUAGE_COOKIE] = "de"
    response = client.get(f"/w/{romanian_workshop.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == f"/de/w/{romanian_workshop.code}/"


def test_the_join_link_and_qr_code_the_facilitator_shares_are_in_the_workshops_language(
    client, romanian_workshop, people, monkeypatch
):
    client.force_login(people["city_coordinator"])
    client.cookies[LANGUAGE_COOKIE] = "en"  # the facilitator reads the site in English
    page = client.get(reverse("workshops:detail", args=[romanian_workshop.pk])).content.decode()
    join = f"http://testserver/ro/w/{romanian_workshop.code}/"
    assert f'<a href="{join}">{join}</a>' in page
    projector = reverse("workshops:projector", args=[romanian_workshop.pk])
    assert f'href="{in_language(projector, "ro")}"' in page
    encoded = []
    real_make = segno.make
    monkeypatch.setattr(
        segno, "make", lambda text, **kw: encoded.append(text) or real_make(text, **kw)
    )
    assert client.get(f"/w/{romanian_workshop.code}/qr.svg").status_code == 200
    assert encoded == [join]


def test_the_board_names_its_language_to_an_unprefixed_socket(client, romanian_workshop, people):
    client.force_login(people["city_coordinator"])
    page = client.get(in_language(reverse("workshops:board", args=[romanian_workshop.pk]), "ro"))
    socket = re.search(r'data-socket="([^"]+)"', page.content.decode()).group(1)
    assert socket == f"/ws/workshops/{romanian_workshop.pk}/board/"
    assert '<html lang="ro"' in page.content.decode()  # board.js sends ?language=ro


def test_consultation_links_on_city_pages_open_in_the_consultations_language(client, city):
    consultation = ConsultationFactory(city=city, slug="piazza", language="it")
    page = client.get(f"/de{city.get_absolute_url()[3:]}").content.decode()
    assert 'href="/it/consultations/piazza/"' in page
    client.cookies[LANGUAGE_COOKIE] = "fr"  # unless the reader chose a language
    page = client.get(f"/de{city.get_absolute_url()[3:]}").content.decode()
    assert 'href="/fr/consultations/piazza/"' in page
    assert consultation.language == "it"


def test_an_unprefixed_voting_link_opens_in_the_consultations_language(client, city):
    ConsultationFactory(city=city, slug="piazza", language="it")
    response = client.get("/consultations/piazza/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert response["Location"] == "/it/consultations/piazza/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="it"' in page and 'class="language-switch language-switch-compact"' in page


# Stored links and e-mails -----------------------------------------------------------------------


def test_a_stored_link_is_kept_without_a_language_and_shown_in_the_readers(client, network, city):
    event = record_activity(kind="update", scope=network, text="Hello", link="/it/cities/x/")
    assert event.link == "/cities/x/"
    page = client.get(f"/sv/networks/{network.slug}/").content.decode()
    assert 'href="/sv/cities/x/"' in page


def test_a_notification_e_mail_links_in_the_recipients_language(db):
    person = UserFactory(language="bg")
    set_email_preference(person, "immediate")
    notify([person], "message", {"text": "Hello"}, url="/en/meetings/")
    send_immediate([person.pk])
    body = mail.outbox[-1].body
    assert f"{settings.CONET_SITE_URL.rstrip('/')}/bg/meetings/" in body
    assert "/bg/notifications/" in body


def test_a_password_reset_e_mail_is_in_the_account_holders_language(client):
    UserFactory(email="anna@example.org", language="pl")
    client.post("/en/accounts/password/reset/", {"email": "anna@example.org"})
    body = mail.outbox[-1].body
    assert re.search(r"http://testserver/pl/accounts/password/reset/\S+/\S+/", body)
    assert "hasło" in body or "hasła" in body


def test_in_language_leaves_addresses_for_programs_and_other_sites_alone():
    assert in_language("/cities/x/?a=1#b", "ro") == "/ro/cities/x/?a=1#b"
    assert in_language("/it/cities/x/", "de") == "/de/cities/x/"
    assert in_language("/api/v1/networks", "de") == "/api/v1/networks"
    assert in_language("https://example.org/cities/", "de") == "https://example.org/cities/"
    assert without_language("/it/") == "/" and without_language("/items/") == "/items/"


def test_an_unknown_unprefixed_address_is_a_404_in_the_browsers_language(client):
    response = client.get("/no-such-thing/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_robots_keep_crawlers_out_of_the_admin_in_every_language(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /en/admin/" in robots and "Disallow: /bg/admin/" in robots
