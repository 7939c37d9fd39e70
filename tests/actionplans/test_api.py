"""/api/v1 for groups, stakeholders, plans, objectives, indicators and actions: who may read and
write what, personal data only where permitted, and 409 on a save from an old version."""

from decimal import Decimal

import pytest

from conet.actionplans.models import Action, LocalActionPlan
from conet.localgroups.models import Stakeholder
from conet.localgroups.services import group_of
from tests.actionplans.conftest import fresh
from tests.factories import (
    ALLOWED,
    ActionFactory,
    IndicatorFactory,
    ObjectiveFactory,
    ProblemNodeFactory,
    api_headers,
    outcome_table,
)

BASE = "/api/v1/networks/testnet"
PLAN = f"{BASE}/plans/partner-city"
GROUP = f"{BASE}/partners/partner-city/group"


def call(client, method, path, user, body=None):
    headers = api_headers(fresh(user))
    return getattr(client, method)(
        path, data=body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(
    ("role", "outcome"), outcome_table({"platform_admin", "city_coordinator"}, visitor=401).items()
)
def test_adding_an_action_follows_the_role_matrix(role, outcome, people, plan, client):
    objective = ObjectiveFactory(plan=plan, number=1)
    response = call(
        client, "post", f"{PLAN}/actions", people[role],
        {"title": "Homework club", "cost": "1200.50", "objectives": [1]},
    )  # fmt: skip
    if outcome == ALLOWED:
        assert response.status_code == 201, response.content
        assert response.json()["objectives"] == [1]
        assert list(Action.objects.get().objectives.all()) == [objective]
    else:
        assert response.status_code == outcome
        assert not Action.objects.exists()


def test_a_negative_cost_names_the_field(people, plan, client):
    response = call(client, "post", f"{PLAN}/actions", people["city_coordinator"],
                    {"title": "X", "cost": "-1"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["cost"]
    assert not Action.objects.exists()


def test_an_unknown_partner_is_refused(people, plan, client):
    response = call(client, "post", f"{PLAN}/actions", people["city_coordinator"],
                    {"title": "X", "partners": [999]})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["partners"]


def test_a_patch_from_an_old_version_is_refused_with_409(people, plan, client):
    ActionFactory(plan=plan, number=1, title="Before")
    user = people["city_coordinator"]
    first = call(client, "patch", f"{PLAN}/actions/1", user, {"version": 1, "title": "First"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = call(client, "patch", f"{PLAN}/actions/1", user, {"version": 1, "title": "Second"})
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert Action.objects.get().title == "First"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("visitor", False), ("signed_in", False), ("lsg_member", True), ("expert", True),
     ("other_city_coordinator", False)],
)  # fmt: skip
def test_the_working_plan_is_read_by_who_may_see_it(role, allowed, people, plan, client):
    ProblemNodeFactory(plan=plan, statement="Core")
    IndicatorFactory(objective=ObjectiveFactory(plan=plan, number=1))
    ActionFactory(plan=plan, cost=Decimal(10))
    for path in (PLAN, f"{PLAN}/objectives", f"{PLAN}/indicators", f"{PLAN}/actions"):
        response = call(client, "get", path, people[role])
        assert (response.status_code == 200) == allowed, path
        if not allowed:
            assert response.status_code == 403
    if allowed:
        data = call(client, "get", PLAN, people[role]).json()
        assert data["problem_tree"][0]["statement"] == "Core"
        assert len(data["sections"]) == 6


def test_launched_versions_are_public(people, plan, client):
    ProblemNodeFactory(plan=plan)
    ActionFactory(plan=plan, title="Launched")
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    plan.refresh_from_db()
    from conet.actionplans import services

    services.transition(plan, "approve", by=people["city_coordinator"])
    assert client.get(f"{PLAN}/versions").json() == ["1.0"]
    snapshot = client.get(f"{PLAN}/versions/1.0").json()["snapshot"]
    assert [a["title"] for a in snapshot["actions"]] == ["Launched"]
    assert client.get(f"{PLAN}/versions/9.9").status_code == 404


@pytest.fixture
def contacts(partnership):
    group = group_of(partnership)
    from django.utils import timezone

    Stakeholder.objects.create(
        group=group, name="School", sector="public", kind="primary",
        email="school@example.org", consent_given_at=timezone.now(),
    )  # fmt: skip
    return group


@pytest.mark.parametrize(
    ("role", "status", "sees_contacts"),
    [("visitor", 403, False), ("signed_in", 403, False), ("lsg_member", 200, False),
     ("network_coordinator", 200, False), ("city_coordinator", 200, True),
     ("platform_admin", 200, True)],
)  # fmt: skip
def test_stakeholders_personal_data_only_where_permitted(
    role, status, sees_contacts, people, contacts, client
):
    response = call(client, "get", GROUP, people[role])
    assert response.status_code == status
    if status == 200:
        [school] = response.json()["stakeholders"]
        assert school["name"] == "School"
        assert school["email"] == ("school@example.org" if sees_contacts else None)


@pytest.mark.parametrize(
    ("role", "outcome"), outcome_table({"platform_admin", "city_coordinator"}, visitor=401).items()
)
def test_adding_a_stakeholder_follows_the_role_matrix(role, outcome, people, partnership, client):
    response = call(client, "post", f"{GROUP}/stakeholders", people[role],
                    {"name": "Parish", "sector": "civic", "kind": "primary"})  # fmt: skip
    if outcome == ALLOWED:
        assert response.status_code == 201
        assert Stakeholder.objects.get().name == "Parish"
    else:
        assert response.status_code == outcome
        assert not Stakeholder.objects.exists()
