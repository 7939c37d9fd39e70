"""API for workshops, cards, clusters and results; writes by the facilitator."""

import pytest
from django.test import Client

from conet.actionplans.models import Action
from conet.networks.models import Partnership
from conet.workshops.models import Card, Cluster, Phase, Proposal
from tests.conftest import ROLES
from tests.factories import LocalActionPlanFactory, api_headers
from tests.workshops.results_data import HIDDEN_TEXT, build_workshop

RUNNERS = {"platform_admin", "network_coordinator", "lead_expert", "city_coordinator"}


@pytest.fixture
def record(people, city):
    return build_workshop(city=city, by=people["city_coordinator"])


@pytest.fixture
def running(people, city):
    return build_workshop(city=city, by=people["city_coordinator"], finished=False)


def _get(path, user=None):
    return Client().get(f"/api/v1{path}", headers=api_headers(user))


def _post(path, user=None, payload=None):
    return Client().post(
        f"/api/v1{path}", payload or {}, content_type="application/json", headers=api_headers(user)
    )


def test_a_finished_workshop_is_listed_and_read_by_anyone(record):
    listed = _get("/workshops").json()
    assert [item["title"] for item in listed] == ["Lumea Nouă: our neighbourhood"]
    detail = _get(f"/workshops/{record.workshop.pk}").json()
    assert detail["participants"] == 3
    assert [phase["kind"] for phase in detail["phases"]] == [
        "critique",
        "fantasy",
        "implementation",
    ]
    assert detail["tables"] == ["Masa 1"]
    assert detail["city"] == record.workshop.city.name


def test_a_running_workshop_is_listed_only_for_the_people_running_it(running, people):
    assert _get("/workshops").json() == []
    assert _get(f"/workshops/{running.workshop.pk}").status_code == 403
    mine = _get("/workshops", people["city_coordinator"]).json()
    assert [item["id"] for item in mine] == [running.workshop.pk]


def test_the_list_paginates(people, city):
    for _n in range(3):
        build_workshop(city=city, by=people["city_coordinator"])
    assert len(_get("/workshops?limit=2").json()) == 2
    assert len(_get("/workshops?limit=2&offset=2").json()) == 1


def test_hidden_cards_are_not_given_to_visitors(record):
    cards = _get(f"/workshops/{record.workshop.pk}/cards").json()
    assert HIDDEN_TEXT not in [card["text"] for card in cards]
    assert len(cards) == 6
    assert {card["author"] for card in cards} == {None}
    critique = _get(f"/workshops/{record.workshop.pk}/cards?phase=critique").json()
    assert len(critique) == 4


@pytest.mark.parametrize("role", ROLES)
def test_hidden_cards_are_given_only_to_the_people_running_the_workshop(record, people, role):
    cards = _get(f"/workshops/{record.workshop.pk}/cards", people[role]).json()
    hidden = [card for card in cards if card["hidden"]]
    if role in RUNNERS:
        assert [card["text"] for card in hidden] == [HIDDEN_TEXT]
    else:
        assert hidden == []
        assert HIDDEN_TEXT not in str(cards)


def test_clusters_are_ranked_with_their_dots_and_visible_cards(record):
    clusters = _get(f"/workshops/{record.workshop.pk}/clusters?phase=critique").json()
    assert [(c["title"], c["dots"], c["rank"]) for c in clusters] == [
        ("Străzi întunecate", 5, 1),
        ("Gunoi", 2, 2),
    ]
    assert record.hidden.pk not in clusters[1]["cards"]
    assert clusters[1]["cards"] == [record.critique_cards[2].pk]


def test_the_results_give_the_ranking_choices_and_proposals(record, people, plan_for):
    plan = plan_for(record)
    from conet.workshops.followup import promote_proposal_to_action

    promote_proposal_to_action(
        record.proposal,
        plan,
        by=people["city_coordinator"],
        expected_version=record.proposal.version,
    )
    assert _get(f"/workshops/{record.workshop.pk}/results").json()["proposals"][0]["action"] is None
    results = _get(f"/workshops/{record.workshop.pk}/results", people["lsg_member"]).json()
    critique = results["phases"][0]
    assert critique["chosen"] == [record.dark.pk]
    assert critique["voters"] == 3 and critique["hidden_cards"] == 1
    [proposal] = results["proposals"]
    assert proposal["helpers"] == 2
    assert proposal["action"] == {
        "plan": plan.title,
        "number": 1,
        "status": "planned",
        "progress": 0,
    }
    assert results["participants"] == 3


@pytest.fixture
def plan_for(network):
    def make(record):
        partnership = Partnership.objects.get(network=network, city=record.workshop.city)
        return LocalActionPlanFactory(partnership=partnership)

    return make


# Writes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_promote_a_proposal_through_the_api(record, people, plan_for, role):
    plan = plan_for(record)
    response = _post(
        f"/workshops/{record.workshop.pk}/proposals/{record.proposal.pk}/promote",
        people[role],
        {"plan": plan.pk, "version": record.proposal.version},
    )
    if role in {"platform_admin", "city_coordinator"}:
        assert response.status_code == 201
        assert response.json()["action"] == 1
    else:
        assert response.status_code in (401, 403)
        assert not Action.objects.exists()
        assert Proposal.objects.get(pk=record.proposal.pk).action is None


def test_promoting_from_a_stale_version_is_answered_409(record, people, plan_for):
    plan = plan_for(record)
    response = _post(
        f"/workshops/{record.workshop.pk}/proposals/{record.proposal.pk}/promote",
        people["city_coordinator"],
        {"plan": plan.pk, "version": 0},
    )
    assert response.status_code == 409
    assert not Action.objects.exists()


def test_promoting_without_the_version_read_is_refused(record, people, plan_for):
    plan = plan_for(record)
    response = _post(
        f"/workshops/{record.workshop.pk}/proposals/{record.proposal.pk}/promote",
        people["city_coordinator"],
        {"plan": plan.pk},
    )
    assert response.status_code == 422
    assert not Action.objects.exists()
    assert Proposal.objects.get(pk=record.proposal.pk).version == record.proposal.version


def test_promoting_twice_is_answered_422_naming_the_proposal(record, people, plan_for):
    plan = plan_for(record)
    path = f"/workshops/{record.workshop.pk}/proposals/{record.proposal.pk}/promote"
    version = record.proposal.version
    assert (
        _post(path, people["city_coordinator"], {"plan": plan.pk, "version": version}).status_code
        == 201
    )
    response = _post(path, people["city_coordinator"], {"plan": plan.pk, "version": version + 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["proposal"]
    assert Action.objects.count() == 1


@pytest.fixture
def open_board(running):
    Phase.objects.filter(pk=running.critique.pk).update(state=Phase.State.OPEN)
    Phase.objects.filter(pk=running.implementation.pk).update(state=Phase.State.PENDING)
    Card.objects.filter(phase=running.critique).update(cluster=None)
    Cluster.objects.filter(phase=running.critique).delete()
    return running


@pytest.mark.parametrize("role", ROLES)
def test_who_may_accept_clusters_through_the_api(open_board, people, role):
    cards = open_board.critique_cards
    response = _post(
        f"/workshops/{open_board.workshop.pk}/clusters/accept",
        people[role],
        {
            "phase": open_board.critique.pk,
            "table": open_board.table.pk,
            "groups": [{"title": "Dark streets", "cards": [cards[0].pk, cards[1].pk]}],
        },
    )
    if role in RUNNERS:
        assert response.status_code == 201
        [cluster] = response.json()
        assert cluster["title"] == "Dark streets" and cluster["suggested"] is True
        assert cluster["cards"] == [cards[0].pk, cards[1].pk]
    else:
        assert response.status_code in (401, 403)
        assert not Cluster.objects.filter(phase=open_board.critique).exists()


def test_a_group_without_a_title_is_answered_422_naming_it(open_board, people):
    response = _post(
        f"/workshops/{open_board.workshop.pk}/clusters/accept",
        people["city_coordinator"],
        {
            "phase": open_board.critique.pk,
            "table": open_board.table.pk,
            "groups": [{"title": "", "cards": [open_board.critique_cards[0].pk]}],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["title_1"]
    assert not Cluster.objects.filter(phase=open_board.critique).exists()


def test_the_facilitator_asks_for_a_suggestion_and_reads_why_there_is_none(
    open_board, people, django_capture_on_commit_callbacks
):
    path = f"/workshops/{open_board.workshop.pk}/phases/{open_board.critique.pk}/suggestion"
    path += f"?table={open_board.table.pk}"
    coordinator = people["city_coordinator"]
    assert _get(path, coordinator).json()["status"] == "none"
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(path, coordinator).status_code == 202
    answer = _get(path, coordinator).json()
    assert answer["status"] == "ready" and answer["groups"] == []
    assert "switched off" in answer["reason"]
    assert _get(path, people["lsg_member"]).status_code == 403
    assert _get(path).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask_for_a_suggestion_through_the_api(
    open_board, people, role, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    path = f"/workshops/{open_board.workshop.pk}/phases/{open_board.critique.pk}/suggestion"
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(path + f"?table={open_board.table.pk}", people[role])
    key = f"workshops:suggestion:{open_board.critique.pk}:{open_board.table.pk}"
    if role in RUNNERS:
        assert response.status_code == 202
        assert cache.get(key) is not None
    else:
        assert response.status_code in (401, 403)
        assert cache.get(key) is None
