"""The API answers with the same rules as the pages: 422 naming the field, 409 when stale."""

from conet.exchange.models import ExpertProfile, SupportRequest
from tests.factories import api_headers


def test_matches_come_with_their_reasons(support_request, expert_profile, people, client):
    response = client.get(
        f"/api/v1/exchange/requests/{support_request.pk}/matches",
        headers=api_headers(people["network_coordinator"]),
    )
    assert response.status_code == 200
    expert = response.json()["experts"][0]
    assert expert["expert"] == expert_profile.pk
    assert set(expert["reasons"]) == {"meaning", "core_tasks", "languages", "availability"}
    assert expert["shared_languages"] == ["de", "en"]


def test_a_lsg_member_may_not_see_matches(support_request, people, client):
    response = client.get(
        f"/api/v1/exchange/requests/{support_request.pk}/matches",
        headers=api_headers(people["lsg_member"]),
    )
    assert response.status_code == 403


def test_a_bad_request_names_the_field_and_stores_nothing(partnership, people, client):
    response = client.post(
        "/api/v1/exchange/requests",
        {
            "network": partnership.network.slug,
            "city": partnership.city.slug,
            "title": "x",
            "project": "y",
            "problem": "z",
            "know_how": "w",
            "languages": ["tlh"],
            "preferred_start": "2026-05-10",
            "preferred_end": "2026-05-01",
        },
        content_type="application/json",
        headers=api_headers(people["city_coordinator"]),
    )
    assert response.status_code == 422
    fields = {item["loc"][0] for item in response.json()["detail"]}
    assert {"languages", "preferred_end"} <= fields
    assert SupportRequest.objects.count() == 0


def test_a_stale_profile_edit_is_a_conflict(expert_profile, people, client):
    headers = api_headers(people["expert"])
    url = f"/api/v1/exchange/experts/{expert_profile.pk}"
    first = client.patch(
        url,
        {"version": expert_profile.version, "headline": "First"},
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 200
    second = client.patch(
        url,
        {"version": expert_profile.version, "headline": "Second"},
        content_type="application/json",
        headers=headers,
    )
    assert second.status_code == 409
    assert ExpertProfile.objects.get(pk=expert_profile.pk).headline == "First"


def test_reading_needs_a_caller(support_request, client):
    assert client.get("/api/v1/exchange/requests").status_code == 401
    assert client.get(f"/api/v1/exchange/requests/{support_request.pk}").status_code == 401


def test_the_list_filters_by_status(support_request, people, client):
    SupportRequest.objects.create(
        partnership=support_request.partnership,
        title="Closed one",
        project="p",
        problem="x",
        know_how="y",
        languages="en",
        status="closed",
    )
    headers = api_headers(people["expert"])
    open_titles = [
        r["title"] for r in client.get("/api/v1/exchange/requests", headers=headers).json()
    ]
    assert open_titles == [support_request.title]
    every = client.get("/api/v1/exchange/requests?status=all", headers=headers).json()
    assert len(every) == 2
