"""The bot trap: a hidden link and a hidden field that people never see, and that nobody else can
spring on them."""

import re

import pytest
from django.core import signing
from django.test import Client

from conet.core import bottrap
from conet.core.models import ActivityEvent, BlockedClient

PHONE = "Mozilla/5.0 (iPhone) Safari/604.1"
OTHER_PHONE = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0"
# What a browser sends when a person follows a link on one of our own pages.
FOLLOWED_LINK = {
    "HTTP_SEC_FETCH_DEST": "document",
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_SEC_FETCH_SITE": "same-origin",
}


def trap_href(client: Client, **headers) -> str:
    body = client.get("/en/", **headers).content.decode()
    return re.search(r'<a href="(/trap/[^"]+)" rel="nofollow" class="trap"', body).group(1)


@pytest.mark.django_db
def test_every_page_has_the_hidden_trap_link_and_robots_forbid_it(client):
    body = client.get("/en/").content.decode()
    assert re.search(
        r'<a href="/trap/[^"/]+/" rel="nofollow" class="trap" aria-hidden="true" tabindex="-1">',
        body,
    )
    assert "Disallow: /trap/" in client.get("/robots.txt").content.decode()


@pytest.mark.django_db
def test_following_the_pages_own_hidden_link_blocks_the_client_and_logs_it(client):
    href = trap_href(client, HTTP_USER_AGENT="BadBot/1.0")
    assert client.get(href, HTTP_USER_AGENT="BadBot/1.0").status_code == 403
    assert client.get("/en/", HTTP_USER_AGENT="BadBot/1.0").status_code == 403
    blocked = BlockedClient.objects.get()
    assert blocked.reason == "followed hidden link"
    assert blocked.user_agent == "BadBot/1.0"


@pytest.mark.django_db
def test_a_person_following_the_link_blocks_that_device_only_not_the_shared_address(client):
    school_wifi = {"REMOTE_ADDR": "192.0.2.7"}
    href = trap_href(client, HTTP_USER_AGENT=PHONE, **school_wifi)
    assert (
        client.get(href, HTTP_USER_AGENT=PHONE, **school_wifi, **FOLLOWED_LINK).status_code == 403
    )
    assert client.get("/en/", HTTP_USER_AGENT=PHONE, **school_wifi).status_code == 403
    classmate = Client()
    assert classmate.get("/en/", HTTP_USER_AGENT=OTHER_PHONE, **school_wifi).status_code == 200


@pytest.mark.django_db
def test_the_blocked_page_says_in_the_readers_language_what_happened_and_for_how_long(client):
    href = trap_href(client, HTTP_ACCEPT_LANGUAGE="de")
    body = client.get(href, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Dieses Gerät ist einem Link gefolgt" in body
    assert "Die Sperre endet in 59\xa0Minuten" in body or "Die Sperre endet in 1\xa0Stunde" in body


@pytest.mark.django_db
def test_an_image_pointing_at_the_trap_bans_nobody(client):
    # Even with the reader's own valid token: an <img> (or a no-cors fetch) is never a person
    # following a link, whatever page embeds it.
    href = trap_href(client)
    for fetched_as in [
        {"HTTP_SEC_FETCH_DEST": "image", "HTTP_SEC_FETCH_MODE": "no-cors"},
        {"HTTP_SEC_FETCH_DEST": "empty", "HTTP_SEC_FETCH_MODE": "cors"},
    ]:
        assert client.get(href, HTTP_SEC_FETCH_SITE="same-origin", **fetched_as).status_code == 404
    assert client.get("/en/").status_code == 200
    assert not BlockedClient.objects.exists()


@pytest.mark.django_db
def test_a_link_to_the_trap_from_another_site_bans_nobody(client):
    href = trap_href(client)
    response = client.get(href, **{**FOLLOWED_LINK, "HTTP_SEC_FETCH_SITE": "cross-site"})
    assert response.status_code == 404
    assert client.get("/en/").status_code == 200
    assert not BlockedClient.objects.exists()


@pytest.mark.django_db
def test_a_third_partys_trap_link_bans_nobody(client):
    # A link copied from someone else's page, one never signed, an old one, or the bare path in
    # an e-mail: all a calm 404.
    someone_elses = trap_href(Client(), HTTP_USER_AGENT=OTHER_PHONE)
    forged = f"/trap/{signing.TimestampSigner(salt='another.salt').sign('x')}/"
    for href in [someone_elses, forged, "/trap/abc/", "/trap/"]:
        assert client.get(href, HTTP_USER_AGENT=PHONE, **FOLLOWED_LINK).status_code == 404
    assert client.get("/en/", HTTP_USER_AGENT=PHONE).status_code == 200
    assert not BlockedClient.objects.exists()


@pytest.mark.django_db
def test_an_old_trap_link_bans_nobody(client, monkeypatch):
    href = trap_href(client)
    monkeypatch.setattr(bottrap, "TRAP_LINK_SECONDS", -1)
    assert client.get(href).status_code == 404
    assert not BlockedClient.objects.exists()


@pytest.mark.django_db
def test_filling_the_hidden_field_blocks_and_changes_nothing(client_as, people, network):
    client = client_as(people["network_coordinator"])
    response = client.post(
        f"/en/networks/{network.slug}/updates/",
        {"text": "Spam", "language": "en", "homepage": "http://spam.example"},
    )
    assert response.status_code == 403
    assert BlockedClient.objects.get().reason == "filled hidden field"
    assert not ActivityEvent.objects.filter(text="Spam").exists()


@pytest.mark.django_db
def test_a_cross_site_post_with_the_hidden_field_is_a_csrf_refusal_and_bans_nobody(people, network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        people["network_coordinator"], backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.post(
        f"/en/networks/{network.slug}/updates/",
        {"text": "Spam", "language": "en", "homepage": "http://spam.example"},
    )
    assert response.status_code == 403
    assert not BlockedClient.objects.exists()
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_the_block_ends_after_its_time(client, settings):
    settings.CONET_BOT_BLOCK_SECONDS = 0  # the cache treats a 0 timeout as "expire now"
    client.get(trap_href(client))
    assert BlockedClient.objects.exists()
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_the_admin_lifts_a_block(client):
    client.get(trap_href(client))
    assert client.get("/en/").status_code == 403
    bottrap.unblock(BlockedClient.objects.get())
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_forms_carry_the_hidden_field(client):
    body = client.get("/en/accounts/login/").content.decode()
    assert 'name="homepage"' in body
