"""/api/v1: changing objectives, indicators and stakeholders, and removing stakeholders — the role
matrix (nothing changes on refusal), 409 from an old version, 422 naming the field."""

import pytest

from conet.actionplans.models import Indicator, Objective
from conet.localgroups.models import Stakeholder
from conet.localgroups.services import group_of
from tests.actionplans.conftest import fresh
from tests.factories import (
    ALLOWED,
    IndicatorFactory,
    ObjectiveFactory,
    StakeholderFactory,
    api_headers,
    outcome_table,
)

BASE = "/api/v1/networks/testnet"
PLAN = f"{BASE}/plans/partner-city"
GROUP = f"{BASE}/partners/partner-city/group"
EDITORS = outcome_table({"platform_admin", "city_coordinator"}, visitor=401)


def call(client, method, path, user, body=None):
    return getattr(client, method)(
        path, data=body, content_type="application/json", headers=api_headers(fresh(user))
    )


@pytest.fixture
def indicator(plan):
    return IndicatorFactory(
        objective=ObjectiveFactory(plan=plan, number=1, title="Fewer drop-outs")
    )


@pytest.fixture
def parish(partnership):
    return StakeholderFactory(group=group_of(partnership), name="Parish", power=2)


def _state():
    return (
        list(Objective.objects.values_list("title", "version")),
        list(Indicator.objects.values_list("definition", "target", "version")),
        list(Stakeholder.objects.values_list("name", "power", "version")),
    )


CASES = {
    "objective": ("patch", lambda ind, sh: f"{PLAN}/objectives/1",
                  {"version": 1, "title": "Half as many drop-outs"},
                  lambda: Objective.objects.get().title == "Half as many drop-outs"),
    "indicator": ("patch", lambda ind, sh: f"{PLAN}/objectives/1/indicators/{ind.pk}",
                  {"version": 1, "definition": "Pupils who stay", "target": "40"},
                  lambda: Indicator.objects.get().definition == "Pupils who stay"),
    "stakeholder": ("patch", lambda ind, sh: f"{GROUP}/stakeholders/{sh.pk}",
                    {"version": 1, "power": 5},
                    lambda: Stakeholder.objects.get().power == 5),
    "remove stakeholder": ("delete", lambda ind, sh: f"{GROUP}/stakeholders/{sh.pk}?version=1",
                           None, lambda: not Stakeholder.objects.exists()),
}  # fmt: skip


@pytest.mark.parametrize(
    ("case", "role", "outcome"),
    [(case, role, outcome) for case in CASES for role, outcome in EDITORS.items()],
)
def test_api_edits_follow_the_role_matrix(
    case, role, outcome, people, plan, indicator, parish, client
):
    method, path, body, changed = CASES[case]
    before = _state()
    response = call(client, method, path(indicator, parish), people[role], body)
    if outcome == ALLOWED:
        assert response.status_code in (200, 204), response.content
        assert changed()
    else:
        assert response.status_code == outcome
        assert _state() == before


def test_an_indicator_patch_from_an_old_version_answers_409_and_keeps_the_first(
    people, plan, indicator, client
):
    user = people["city_coordinator"]
    path = f"{PLAN}/objectives/1/indicators/{indicator.pk}"
    first = call(client, "patch", path, user, {"version": 1, "target": "40"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = call(client, "patch", path, user, {"version": 1, "target": "90"})
    assert second.status_code == 409
    indicator.refresh_from_db()
    assert indicator.target == 40


def test_removing_a_stakeholder_from_an_old_version_answers_409(people, parish, client):
    user = people["city_coordinator"]
    call(client, "patch", f"{GROUP}/stakeholders/{parish.pk}", user, {"version": 1, "power": 4})
    response = call(client, "delete", f"{GROUP}/stakeholders/{parish.pk}?version=1", user)
    assert response.status_code == 409
    assert Stakeholder.objects.filter(pk=parish.pk).exists()


def test_bad_values_are_refused_by_field_and_change_nothing(
    people, plan, indicator, parish, client
):
    user = people["city_coordinator"]
    before = _state()
    response = call(client, "patch", f"{GROUP}/stakeholders/{parish.pk}", user,
                    {"version": 1, "power": 9})  # fmt: skip
    assert response.status_code == 422 and "power" in str(response.json())
    response = call(client, "patch", f"{PLAN}/objectives/1", user, {"version": 1, "title": ""})
    assert response.status_code == 422 and "title" in str(response.json())
    assert _state() == before


def test_withdrawing_consent_through_the_api_erases_the_contact_details(people, parish, client):
    user = people["city_coordinator"]
    path = f"{GROUP}/stakeholders/{parish.pk}"
    given = call(client, "patch", path, user,
                 {"version": 1, "email": "p@example.org", "consent": True}).json()  # fmt: skip
    assert given["email"] == "p@example.org"
    withdrawn = call(client, "patch", path, user, {"version": 2, "consent": False}).json()
    assert withdrawn["email"] is None
    parish.refresh_from_db()
    assert (parish.email, parish.consent_given_at) == ("", None)
