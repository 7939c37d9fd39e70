"""The bot trap: a hidden link and a hidden field that people never see."""

import pytest

from conet.core.models import BlockedClient


@pytest.mark.django_db
def test_every_page_has_the_hidden_trap_link_and_robots_forbid_it(client):
    body = client.get("/").content.decode()
    assert 'href="/trap/" rel="nofollow" class="trap" aria-hidden="true" tabindex="-1"' in body
    assert "Disallow: /trap/" in client.get("/robots.txt").content.decode()


@pytest.mark.django_db
def test_following_the_hidden_link_blocks_the_client_and_logs_it(client):
    assert client.get("/trap/", HTTP_USER_AGENT="BadBot/1.0").status_code == 403
    assert client.get("/").status_code == 403
    blocked = BlockedClient.objects.get()
    assert blocked.reason == "followed hidden link"
    assert blocked.user_agent == "BadBot/1.0"


@pytest.mark.django_db
def test_a_client_from_another_address_is_not_blocked(client):
    client.get("/trap/", REMOTE_ADDR="10.0.0.9")
    assert client.get("/", REMOTE_ADDR="10.0.0.10").status_code == 200


@pytest.mark.django_db
def test_filling_the_hidden_field_blocks_and_changes_nothing(client_as, people, network):
    client = client_as(people["network_coordinator"])
    response = client.post(
        f"/networks/{network.slug}/updates/",
        {"text": "Spam", "language": "en", "homepage": "http://spam.example"},
    )
    assert response.status_code == 403
    assert BlockedClient.objects.get().reason == "filled hidden field"
    from conet.core.models import ActivityEvent

    assert not ActivityEvent.objects.filter(text="Spam").exists()


@pytest.mark.django_db
def test_the_block_ends_after_its_time(client, settings):
    settings.CONET_BOT_BLOCK_SECONDS = 0  # the cache treats a 0 timeout as "expire now"
    client.get("/trap/")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_forms_carry_the_hidden_field(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'name="homepage"' in body
