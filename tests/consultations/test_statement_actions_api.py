"""Linking a statement to the plan action it led to through /api/v1: every role, bad input, and
the actions each statement led to in its output, as far as the caller may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conet.actionplans.models import LocalActionPlan
from tests.consultations.test_views import rows
from tests.factories import (
    ALLOWED,
    ActionFactory,
    CityFactory,
    ConsultationFactory,
    LocalActionPlanFactory,
    PartnershipFactory,
    StatementFactory,
    api_headers,
    outcome_table,
    stored_rows,
)
from tests.networks.test_focus_area import launch

pytestmark = pytest.mark.django_db

API = "/api/v1/consultations/ask/statements"
# Whoever may edit the city's plan (a draft that members may co-edit), as on the results page.
LINK = outcome_table({"platform_admin", "city_coordinator", "lsg_member"}, visitor=401)
ACTION = {"network": "testnet", "city": "partner-city", "number": 1}
UNLINK = f"{API}/1/actions/testnet/partner-city/1"


@pytest.fixture
def setting(network, city):
    plan = LocalActionPlanFactory(
        partnership=city.partnerships.get(network=network), members_may_edit=True
    )
    consultation = ConsultationFactory(city=city, network=network, slug="ask")
    return {
        "plan": plan,
        "statement": StatementFactory(consultation=consultation, number=1, text="Streets too dark"),
        "action": ActionFactory(plan=plan, number=1, title="Light the streets"),
    }


def _snapshot() -> dict:
    return {**stored_rows(), **rows(), "links": _links()}


def _links() -> list:
    from conet.consultations.models import Statement

    return list(Statement.actions.through.objects.values_list("statement_id", "action_id"))


@pytest.mark.parametrize(("role", "outcome"), LINK.items())
def test_who_may_link_a_statement_to_an_action(role, outcome, people, setting, client):
    headers = api_headers(people[role])
    before = _snapshot()
    response = client.post(f"{API}/1/actions", ACTION, "application/json", headers=headers)
    if outcome == ALLOWED:
        assert response.status_code == 201, response.content
        assert response.json()["led_to"] == [
            {
                "network": "testnet",
                "city": "partner-city",
                "number": 1,
                "title": "Light the streets",
                "url": "/en/networks/testnet/partner-city/plan/actions/1/",
            }
        ]
        assert setting["statement"].actions.get() == setting["action"]
    else:
        assert response.status_code == outcome
        assert _snapshot() == before


@pytest.mark.parametrize(("role", "outcome"), LINK.items())
def test_who_may_unlink_a_statement_from_an_action(role, outcome, people, setting, client):
    setting["statement"].actions.add(setting["action"])
    headers = api_headers(people[role])
    before = _snapshot()
    response = client.delete(UNLINK, headers=headers)
    if outcome == ALLOWED:
        assert response.status_code == 204, response.content
        assert not setting["statement"].actions.exists()
    else:
        assert response.status_code == outcome
        assert _snapshot() == before


def test_once_the_plan_is_launched_only_who_runs_it_links(people, setting, client):
    LocalActionPlan.objects.update(status=LocalActionPlan.Status.APPROVED)
    member = client.post(
        f"{API}/1/actions", ACTION, "application/json", headers=api_headers(people["lsg_member"])
    )
    assert member.status_code == 403
    assert member.json() == {"detail": "You are not allowed to do this."}
    coordinator = client.post(
        f"{API}/1/actions",
        ACTION,
        "application/json",
        headers=api_headers(people["city_coordinator"]),
    )
    assert coordinator.status_code == 201


def test_an_action_of_another_citys_plan_is_refused_in_the_callers_language(
    people, setting, client, network
):
    elsewhere = CityFactory(slug="elsewhere", name="Elsewhere")
    ActionFactory(
        plan=LocalActionPlanFactory(
            partnership=PartnershipFactory(network=network, city=elsewhere)
        ),
        number=1,
    )
    headers = {**api_headers(people["platform_admin"]), "Accept-Language": "it"}
    before = _snapshot()
    response = client.post(
        f"{API}/1/actions", {**ACTION, "city": "elsewhere"}, "application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["action"], "msg": "Scegli un'azione del Piano d'azione locale di Partner City."}
    ]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{API}/1/actions", {**ACTION, "number": 99}),  # no such action
        (f"{API}/1/actions", {**ACTION, "city": "atlantis"}),  # no such plan
        (f"{API}/9/actions", ACTION),  # no such statement
        ("/api/v1/consultations/nowhere/statements/1/actions", ACTION),
    ],
)
def test_what_does_not_exist_answers_404(path, body, people, setting, client):
    headers = api_headers(people["platform_admin"])
    before = _snapshot()
    assert client.post(path, body, "application/json", headers=headers).status_code == 404
    assert _snapshot() == before


def test_unlinking_what_is_not_linked_says_so_and_an_unknown_action_is_404(people, setting, client):
    headers = api_headers(people["city_coordinator"])
    response = client.delete(UNLINK, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "The statement is not linked to this action."
    missing = client.delete(f"{API}/1/actions/testnet/partner-city/7", headers=headers)
    assert missing.status_code == 404


def test_linking_twice_is_refused_with_a_message(people, setting, client):
    headers = api_headers(people["city_coordinator"])
    client.post(f"{API}/1/actions", ACTION, "application/json", headers=headers)
    again = client.post(f"{API}/1/actions", ACTION, "application/json", headers=headers)
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg"] == "The statement is already linked to this action."


def _led_to(client, headers=None) -> dict[int, list[int]]:
    response = client.get(API, headers=headers or {})
    assert response.status_code == 200
    return {
        item["number"]: [action["number"] for action in item["led_to"]]
        for item in response.json()["items"]
    }


def test_the_statements_list_what_they_led_to_as_far_as_the_caller_may_see(people, setting, client):
    setting["statement"].actions.add(setting["action"])
    # A draft plan stays with the people who work on it.
    assert _led_to(client) == {1: []}
    assert _led_to(client, api_headers(people["city_coordinator"])) == {1: [1]}
    launch(setting["plan"], [1])
    assert _led_to(client) == {1: [1]}


def test_a_page_of_statements_costs_the_same_queries_however_many_links(setting, client):
    launch(setting["plan"], [1, 2, 3])
    setting["statement"].actions.add(setting["action"])
    assert _led_to(client) == {1: [1]}
    with CaptureQueriesContext(connection) as few:
        _led_to(client)
    consultation = setting["statement"].consultation
    for number in range(2, 12):
        statement = StatementFactory(consultation=consultation, number=number)
        statement.actions.add(
            setting["action"], ActionFactory(plan=setting["plan"], number=number + 1)
        )
    with CaptureQueriesContext(connection) as many:
        led_to = _led_to(client)
    assert led_to[11] == [1] and len(led_to) == 11
    assert len(many) == len(few)
