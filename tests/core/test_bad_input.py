"""Bad input gets a clear 4xx and changes nothing: NUL characters anywhere, numbers out of range.

These ran into the database and answered 500 (PostgreSQL refuses NUL in text; 64-bit overflow on
`limit` and `offset`). The suite runs on SQLite and PostgreSQL, so both are covered.
"""

import json

import pytest

from conet.networks.forms import NetworkForm
from tests.factories import api_headers, form_data, stored_rows


@pytest.mark.parametrize(
    "url",
    [
        "/en/practices/?q=a%00b",
        "/en/search/?q=a%00b",
        "/en/meetings/?q=%00",
        "/en/networks/?x%00=1",
        "/api/v1/practices?q=a%00b",
        "/api/v1/networks?q=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(db, client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL" in response.json()["detail"]
    else:
        assert "Bad request" in response.content.decode()


def test_a_nul_character_in_a_form_is_a_400_and_changes_nothing(people, network, client_as):
    client = client_as(people["network_coordinator"])
    data = form_data(NetworkForm(instance=network), name="Evil\x00name")
    before = stored_rows()
    response = client.post(f"/en/networks/{network.slug}/edit/", data)
    assert response.status_code == 400
    assert stored_rows() == before


def test_a_nul_character_in_an_api_body_is_a_400_and_changes_nothing(people, network, client):
    headers = api_headers(people["platform_admin"])
    before = stored_rows()
    response = client.patch(
        f"/api/v1/networks/{network.slug}",
        data=json.dumps({"version": 1, "theme": "a\u0000b"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    network.refresh_from_db()
    assert network.theme != "a\x00b"
    assert stored_rows() == before


@pytest.mark.parametrize(
    "query",
    ["limit=99999999999999999999999", "offset=99999999999999999999999", "limit=0", "offset=-1"],
)
def test_limit_and_offset_out_of_range_are_a_422_naming_the_parameter(db, client, query):
    response = client.get(f"/api/v1/networks?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in json.dumps(response.json())


def test_the_largest_page_is_served(db, client):
    assert client.get("/api/v1/networks?limit=500&offset=1000000000").status_code == 200


@pytest.mark.django_db(transaction=True)  # the refused write's own transaction rolls back, as live
def test_an_id_beyond_64_bits_in_an_api_body_is_a_400_and_changes_nothing(people, client):
    headers = api_headers(people["expert"])
    before = stored_rows()
    response = client.post(
        "/api/v1/notifications/read",
        data=json.dumps({"ids": [2**70]}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422  # the schema bounds ids to what the database holds
    assert stored_rows() == before


@pytest.mark.parametrize("path", ["/en/meetings/{n}/", "/api/v1/meetings/{n}"])
def test_an_id_beyond_64_bits_in_the_address_is_a_4xx_not_a_500(db, client, path):
    response = client.get(path.format(n=2**70))
    assert 400 <= response.status_code < 500
