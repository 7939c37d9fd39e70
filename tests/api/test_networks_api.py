"""/api/v1 for networks and cities: conflicts, bad input, lists that paginate, the OpenAPI document."""

import pytest

from conet.networks import services
from conet.networks.models import Partnership
from tests.factories import (
    CityFactory,
    NetworkFactory,
    PartnershipFactory,
    activity,
    api_headers,
    stored_rows,
)


@pytest.fixture
def as_admin(people, client):
    """client.<method>(path, body) as the platform admin, with a real token."""
    headers = api_headers(people["platform_admin"])

    class Caller:
        def __getattr__(self, method):
            def call(path, body=None):
                return getattr(client, method)(
                    path, data=body, content_type="application/json", headers=headers
                )

            return call

    return Caller()


def locations(response) -> list[str]:
    """The field each reported error is about (the last part of its `loc`)."""
    return [error["loc"][-1] for error in response.json()["detail"]]


def test_patch_network_from_a_stale_version_answers_409_and_changes_nothing(
    people, network, as_admin
):
    services.update_network(
        network, by=people["network_coordinator"], expected_version=1, changes={"theme": "Theirs"}
    )
    before = stored_rows()
    response = as_admin.patch("/api/v1/networks/testnet", {"version": 1, "theme": "Mine"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert response.json()["fields"] == ["theme"]
    assert stored_rows() == before


def test_patch_partnership_from_a_stale_version_answers_409(people, network, city, as_admin):
    partnership = Partnership.objects.get(network=network, city=city)
    services.update_partnership(
        partnership,
        by=people["network_coordinator"],
        expected_version=1,
        changes={"focus_area_name": "Theirs"},
    )
    before = stored_rows()
    response = as_admin.patch(
        "/api/v1/networks/testnet/partnerships/partner-city",
        {"version": 1, "focus_area_name": "Mine"},
    )
    assert response.status_code == 409
    assert stored_rows() == before


def test_patch_city_from_a_stale_version_answers_409(people, city, as_admin):
    services.update_city(
        city, by=people["city_coordinator"], expected_version=1, changes={"population": 7}
    )
    before = stored_rows()
    response = as_admin.patch("/api/v1/cities/partner-city", {"version": 1, "population": 8})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("patch", "/api/v1/networks/testnet", {"version": 1, "end_date": "2000-01-01"}, "end_date"),
        ("patch", "/api/v1/networks/testnet", {"version": 1, "language": "tlh"}, "language"),
        ("patch", "/api/v1/networks/testnet", {"version": 1, "name": ""}, "name"),
        ("patch", "/api/v1/networks/testnet", {"version": 1, "status": "asleep"}, "status"),
        ("patch", "/api/v1/networks/testnet", {"theme": "no version"}, "version"),
        ("patch", "/api/v1/cities/partner-city", {"version": 1, "latitude": 200}, "latitude"),
        ("patch", "/api/v1/cities/partner-city", {"version": 1, "languages": "de,xx"}, "languages"),
        ("patch", "/api/v1/cities/partner-city", {"version": 1, "population": -1}, "population"),
        ("post", "/api/v1/networks/testnet/activity", {"text": "  "}, "text"),
        ("post", "/api/v1/networks/testnet/activity", {"text": "Hi", "language": "tlh"}, "language"),
        ("post", "/api/v1/networks/testnet/activity", {"text": "Hi", "language": "x" * 20}, "language"),
        ("post", "/api/v1/networks/testnet/partnerships", {"city": "partner-city"}, "city"),
        ("post", "/api/v1/networks/testnet/partnerships", {"city": "partner-city", "role": "boss"}, "role"),
        ("patch", "/api/v1/networks/testnet/partnerships/partner-city", {"version": "one"}, "version"),
    ],
)  # fmt: skip
def test_bad_input_answers_422_naming_the_field(method, path, body, field, city, as_admin):
    before = stored_rows()
    response = getattr(as_admin, method)(path, body)
    assert response.status_code == 422
    assert field in locations(response)
    assert all(error["msg"] for error in response.json()["detail"])
    assert stored_rows() == before


def test_a_second_lead_partner_answers_422_naming_the_role(network, city, as_admin):
    Partnership.objects.filter(network=network, city=city).update(role="lead_partner")
    CityFactory(slug="second")
    before = stored_rows()
    response = as_admin.post(
        "/api/v1/networks/testnet/partnerships", {"city": "second", "role": "lead_partner"}
    )
    assert response.status_code == 422
    assert locations(response) == ["role"]
    assert response.json()["detail"][0]["msg"] == "The network already has a lead partner."
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/api/v1/networks", lambda network: NetworkFactory.create_batch(3)),
        ("/api/v1/cities", lambda network: CityFactory.create_batch(3)),
        (
            "/api/v1/networks/testnet/activity",
            lambda network: [activity(network, text=f"News {n}") for n in range(3)],
        ),
    ],
)
def test_lists_paginate_with_items_and_count(path, make, network, client):
    make(network)
    everything = client.get(path).json()
    page = client.get(path, {"limit": 2, "offset": 1}).json()
    assert everything["count"] >= 3
    assert len(everything["items"]) == everything["count"]
    assert page["count"] == everything["count"]
    assert page["items"] == everything["items"][1:3]


def test_network_list_is_cut_into_pages_of_fifty(db, client):
    NetworkFactory.create_batch(51)
    response = client.get("/api/v1/networks").json()
    assert response["count"] == 51
    assert len(response["items"]) == 50


def test_activity_list_shows_public_events_only(network, client):
    activity(network, text="For everyone")
    activity(network, text="Coordinators only", public=False)
    texts = [
        item["text"] for item in client.get("/api/v1/networks/testnet/activity").json()["items"]
    ]
    assert texts == ["For everyone"]


def test_city_search_finds_by_name_or_country(db, client):
    CityFactory(name="Palermo", country="IT")
    CityFactory(name="Berlin", country="DE")
    by_name = client.get("/api/v1/cities", {"q": "paler"}).json()
    by_country = client.get("/api/v1/cities", {"q": "it"}).json()
    assert [city["name"] for city in by_name["items"]] == ["Palermo"]
    assert [city["name"] for city in by_country["items"]] == ["Palermo"]


def test_network_detail_and_partnerships_are_public(network, city, client):
    PartnershipFactory(network=network, role="lead_partner", city=CityFactory(name="Berlin"))
    detail = client.get("/api/v1/networks/testnet")
    partners = client.get("/api/v1/networks/testnet/partnerships")
    assert detail.status_code == 200
    assert (detail.json()["name"], detail.json()["version"]) == ("Test Network", 1)
    assert [p["city"]["name"] for p in partners.json()] == ["Berlin", "Partner City"]
    assert client.get("/api/v1/networks/nowhere").status_code == 404


def test_openapi_document_lists_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) >= {
        "/api/v1/networks",
        "/api/v1/networks/{slug}",
        "/api/v1/networks/{slug}/partnerships",
        "/api/v1/networks/{slug}/partnerships/{city_slug}",
        "/api/v1/networks/{slug}/activity",
        "/api/v1/cities",
        "/api/v1/cities/{slug}",
    }
    assert set(paths["/api/v1/networks/{slug}"]) == {"get", "patch"}
    assert set(paths["/api/v1/networks/{slug}/partnerships/{city_slug}"]) == {"patch", "delete"}


def test_api_docs_page_answers(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()
