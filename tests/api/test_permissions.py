"""Who may write through /api/v1: every write endpoint, for every role, signed in with a real token.

The tables follow conet/networks/rules.py. Without a token the API answers 401; with a token whose
owner lacks the role, 403; either way the database is unchanged.
"""

import pytest

from conet.core.models import ActivityEvent
from conet.networks.models import Partnership
from tests.factories import ALLOWED, CityFactory, api_headers, outcome_table, stored_rows

CHANGE_NETWORK = outcome_table({"platform_admin", "network_coordinator"}, visitor=401)
POST_UPDATE = outcome_table({"platform_admin", "network_coordinator", "lead_expert"}, visitor=401)
MANAGE_PARTNERSHIPS = outcome_table({"platform_admin", "network_coordinator"}, visitor=401)
CHANGE_CITY = outcome_table({"platform_admin", "city_coordinator"}, visitor=401)


def send(client, method: str, path: str, user, body: dict | None = None):
    headers = api_headers(user)  # made before the snapshot: a token is a row of its own
    return lambda: getattr(client, method)(
        path, data=body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_patch_network_only_for_admin_and_its_coordinator(role, outcome, people, network, client):
    request = send(
        client,
        "patch",
        "/api/v1/networks/testnet",
        people[role],
        {"version": 1, "theme": "Housing"},
    )
    before = stored_rows()
    response = request()
    network.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert response.json()["theme"] == "Housing"
        assert response.json()["version"] == 2
        assert (network.theme, network.version) == ("Housing", 2)
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_add_partnership_only_for_admin_and_the_networks_coordinator(
    role, outcome, people, network, client
):
    CityFactory(slug="new-city")
    request = send(
        client,
        "post",
        "/api/v1/networks/testnet/partnerships",
        people[role],
        {"city": "new-city", "focus_area_name": "Harbour"},
    )
    before = stored_rows()
    response = request()
    if outcome == ALLOWED:
        assert response.status_code == 201
        assert response.json()["city"]["slug"] == "new-city"
        added = Partnership.objects.get(network=network, city__slug="new-city")
        assert (added.role, added.focus_area_name) == ("partner", "Harbour")
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_patch_partnership_only_for_admin_and_the_networks_coordinator(
    role, outcome, people, network, city, client
):
    request = send(
        client,
        "patch",
        "/api/v1/networks/testnet/partnerships/partner-city",
        people[role],
        {"version": 1, "focus_area_name": "Lumea Nouă"},
    )
    before = stored_rows()
    response = request()
    partnership = Partnership.objects.get(network=network, city=city)
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert response.json()["focus_area_name"] == "Lumea Nouă"
        assert (partnership.focus_area_name, partnership.version) == ("Lumea Nouă", 2)
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_delete_partnership_only_for_admin_and_the_networks_coordinator(
    role, outcome, people, network, city, client
):
    request = send(
        client, "delete", "/api/v1/networks/testnet/partnerships/partner-city", people[role]
    )
    before = stored_rows()
    response = request()
    if outcome == ALLOWED:
        assert response.status_code == 204
        assert not Partnership.objects.filter(network=network, city=city).exists()
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), POST_UPDATE.items())
def test_post_activity_only_for_admin_coordinator_and_lead_expert(
    role, outcome, people, network, client
):
    request = send(
        client,
        "post",
        "/api/v1/networks/testnet/activity",
        people[role],
        {"text": "Thematic meeting in Sofia", "language": "en"},
    )
    before = stored_rows()
    response = request()
    if outcome == ALLOWED:
        assert response.status_code == 201
        assert response.json()["text"] == "Thematic meeting in Sofia"
        event = ActivityEvent.objects.get(kind="update")
        assert (event.text, event.actor) == ("Thematic meeting in Sofia", people[role])
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE_CITY.items())
def test_patch_city_only_for_admin_and_the_citys_coordinator(role, outcome, people, city, client):
    request = send(
        client,
        "patch",
        "/api/v1/cities/partner-city",
        people[role],
        {"version": 1, "population": 654_321, "languages": "de,en"},
    )
    before = stored_rows()
    response = request()
    city.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert response.json()["languages"] == ["de", "en"]
        assert (city.population, city.languages, city.version) == (654_321, "de,en", 2)
    else:
        assert response.status_code == outcome
        assert stored_rows() == before


def test_a_wrong_token_is_refused_like_no_token(people, network, client):
    before = stored_rows()
    response = client.patch(
        "/api/v1/networks/testnet",
        data={"version": 1, "theme": "Housing"},
        content_type="application/json",
        headers={"Authorization": "Bearer conet_not-a-real-key"},
    )
    assert response.status_code == 401
    assert stored_rows() == before


def test_the_token_of_a_deactivated_person_is_refused(people, network, client):
    headers = api_headers(people["network_coordinator"])
    people["network_coordinator"].is_active = False
    people["network_coordinator"].save()
    response = client.patch(
        "/api/v1/networks/testnet",
        data={"version": 1, "theme": "Housing"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    network.refresh_from_db()
    assert network.theme == "Social cohesion"


def test_writes_to_what_does_not_exist_answer_404(people, network, client):
    headers = api_headers(people["platform_admin"])
    missing_network = client.patch(
        "/api/v1/networks/nowhere",
        data={"version": 1},
        content_type="application/json",
        headers=headers,
    )
    missing_city = client.post(
        "/api/v1/networks/testnet/partnerships",
        data={"city": "atlantis"},
        content_type="application/json",
        headers=headers,
    )
    missing_partnership = client.delete(
        "/api/v1/networks/testnet/partnerships/atlantis", headers=headers
    )
    assert missing_network.status_code == 404
    assert missing_city.status_code == 404
    assert missing_partnership.status_code == 404
