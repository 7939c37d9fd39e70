"""The consultations API: every write for every role, own votes, results without participant ids."""

import pytest

from conet.accounts.services import create_api_token
from conet.consultations import services
from conet.consultations.models import Consultation, Statement, Vote
from tests.conftest import ROLES
from tests.consultations.test_views import RUNS, rows
from tests.factories import ConsultationFactory, ParticipantFactory, StatementFactory

API = "/api/v1"


def headers(user) -> dict:
    if user is None:
        return {}
    _token, key = create_api_token(user, name="tests")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def consultation(city):
    consultation = ConsultationFactory(city=city, slug="ballaro")
    StatementFactory(consultation=consultation, number=0, text="More light at night")
    return consultation


@pytest.mark.parametrize("role", ROLES)
def test_create_consultation_only_for_who_runs_consultations(role, people, city, client):
    before = rows()
    response = client.post(
        f"{API}/consultations",
        {"city": city.slug, "slug": "api-made", "question": "What now?", "seed_statements": ["A"]},
        content_type="application/json",
        headers=headers(people[role]),
    )
    if role in RUNS:
        assert response.status_code == 201, response.content
        assert response.json()["slug"] == "api-made"
        assert Consultation.objects.get(slug="api-made").statements.count() == 1
    else:
        assert response.status_code == (401 if role == "visitor" else 403)
        assert rows() == before


def test_bad_consultation_names_the_field(people, city, client):
    response = client.post(
        f"{API}/consultations",
        {"city": city.slug, "slug": "x", "question": "Q?", "language": "xx"},
        content_type="application/json",
        headers=headers(people["platform_admin"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["language"]


@pytest.mark.parametrize("role", ROLES)
def test_moderate_only_for_who_runs_consultations(role, people, consultation, client):
    before = rows()
    response = client.post(
        f"{API}/consultations/ballaro/statements/0/moderation",
        {"accept": False, "reason": "Off topic"},
        content_type="application/json",
        headers=headers(people[role]),
    )
    if role in RUNS:
        assert response.status_code == 200
        assert response.json()["status"] == "rejected"
    else:
        assert response.status_code == (401 if role == "visitor" else 403)
        assert rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_person_votes_and_sees_only_their_votes(role, people, consultation, client):
    other = ParticipantFactory(consultation=consultation)
    Vote.objects.create(participant=other, statement=consultation.statements.get(), value=-1)
    response = client.put(
        f"{API}/consultations/ballaro/votes/0",
        {"value": 1},
        content_type="application/json",
        headers=headers(people[role]),
    )
    if role == "visitor":
        assert response.status_code == 401
        assert Vote.objects.count() == 1
        return
    assert response.status_code == 200
    assert response.json()["value"] == 1
    mine = client.get(f"{API}/consultations/ballaro/votes/mine", headers=headers(people[role]))
    assert [vote["value"] for vote in mine.json()] == [1]


@pytest.mark.parametrize("role", ROLES)
def test_adding_statements_over_the_api(role, people, consultation, client):
    response = client.post(
        f"{API}/consultations/ballaro/statements",
        {"text": "A library in the old convent"},
        content_type="application/json",
        headers=headers(people[role]),
    )
    if role == "visitor":
        assert response.status_code == 401
    else:
        assert response.status_code == 201
        assert response.json()["number"] == 1


def test_a_vote_out_of_range_is_refused_naming_the_field(people, consultation, client):
    response = client.put(
        f"{API}/consultations/ballaro/votes/0",
        {"value": 5},
        content_type="application/json",
        headers=headers(people["signed_in"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["value"]
    assert not Vote.objects.exists()


def test_too_many_votes_answer_429(people, consultation, client, monkeypatch):
    monkeypatch.setattr(services, "VOTE_LIMIT", (1, 60))
    auth = headers(people["signed_in"])
    url = f"{API}/consultations/ballaro/votes/0"
    assert (
        client.put(url, {"value": 1}, content_type="application/json", headers=auth).status_code
        == 200
    )
    response = client.put(url, {"value": 0}, content_type="application/json", headers=auth)
    assert response.status_code == 429


def test_visitors_read_statements_moderators_see_all(people, consultation, client):
    StatementFactory(consultation=consultation, number=1, status=Statement.Status.PENDING)
    public = client.get(f"{API}/consultations/ballaro/statements").json()
    assert [item["number"] for item in public["items"]] == [0]
    moderator = client.get(
        f"{API}/consultations/ballaro/statements", headers=headers(people["city_coordinator"])
    ).json()
    assert [item["number"] for item in moderator["items"]] == [0, 1]


def test_results_name_statements_by_number_and_hold_no_participant_ids(consultation, client):
    statements = [
        consultation.statements.get(),
        *StatementFactory.create_batch(3, consultation=consultation),
    ]
    for n, participant in enumerate(ParticipantFactory.create_batch(20, consultation=consultation)):
        for s, statement in enumerate(statements):
            Vote.objects.create(
                participant=participant, statement=statement, value=1 if (n + s) % 2 else -1
            )
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=80)
    body = client.get(f"{API}/consultations/ballaro/results").json()
    assert body["votes_used"] == 80
    assert body["participants_placed"] == 20
    assert len(body["groups"]) == 2
    assert all(len(point) == 3 for point in body["points"])
    assert [item["statement"] for item in body["statements"]] == [s.number for s in statements]
    assert len(client.get(f"{API}/consultations").json()["items"]) == 1
