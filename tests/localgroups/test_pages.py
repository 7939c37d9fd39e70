"""The Local Support Group page: who sees it, who adds stakeholders, contacts only where permitted,
query count constant in the number of stakeholders."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conet.localgroups.models import LocalSupportGroup, Stakeholder
from conet.localgroups.services import group_of
from conet.networks.models import Partnership
from tests.actionplans.conftest import fresh
from tests.factories import ALLOWED, SIGN_IN, StakeholderFactory, outcome_table

URL = reverse("localgroups:group", args=["testnet", "partner-city"])
ADD = reverse("localgroups:stakeholder_add", args=["testnet", "partner-city"])
EDIT = reverse("localgroups:edit", args=["testnet", "partner-city"])
VIEW = outcome_table(
    {"platform_admin", "network_coordinator", "lead_expert", "expert", "city_coordinator",
     "lsg_member"}
)  # fmt: skip
CHANGE = outcome_table({"platform_admin", "city_coordinator"})


@pytest.fixture
def group(network, city):
    return group_of(Partnership.objects.get(network=network, city=city))


def _refused(response, outcome):
    if outcome == SIGN_IN:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == outcome


@pytest.mark.parametrize(("role", "outcome"), VIEW.items())
def test_the_group_page_is_for_the_city_and_the_networks_team(
    role, outcome, people, group, client_as
):
    StakeholderFactory(
        group=group, name="Parish", email="p@example.org", consent_given_at=timezone.now()
    )
    response = client_as(fresh(people[role])).get(URL)
    if outcome == ALLOWED:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Parish" in html and "power-interest" in html and "ecosystem" in html
        assert ("p@example.org" in html) == (role in {"platform_admin", "city_coordinator"})
    else:
        _refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), CHANGE.items())
def test_adding_a_stakeholder_follows_the_role_matrix(role, outcome, people, group, client_as):
    data = {"name": "Market traders", "sector": "private", "kind": "primary", "power": "3",
            "interest": "4", "email": "m@example.org", "consent": "on"}  # fmt: skip
    response = client_as(fresh(people[role])).post(ADD, data)
    if outcome == ALLOWED:
        assert response.status_code == 302
        stored = Stakeholder.objects.get()
        assert stored.email == "m@example.org" and stored.consent_given_at is not None
    else:
        _refused(response, outcome)
        assert not Stakeholder.objects.exists()


def test_contacts_without_consent_are_refused_on_the_page(people, group, client_as):
    data = {"name": "X", "sector": "civic", "kind": "primary", "power": "3", "interest": "3",
            "email": "x@example.org"}  # fmt: skip
    response = client_as(people["city_coordinator"]).post(ADD, data)
    assert response.status_code == 422
    assert "only when consent is recorded" in response.content.decode()
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize(("role", "outcome"), CHANGE.items())
def test_the_self_assessment_is_written_by_the_citys_coordinator(
    role, outcome, people, group, client_as
):
    data = {"purpose": "", "self_assessment": "We lack the traders.", "version": "1"}
    response = client_as(fresh(people[role])).post(EDIT, data)
    stored = LocalSupportGroup.objects.get()
    if outcome == ALLOWED:
        assert response.status_code == 302 and stored.self_assessment == "We lack the traders."
    else:
        _refused(response, outcome)
        assert stored.self_assessment == ""


def test_the_page_query_count_does_not_grow_with_the_stakeholders(people, group, client_as):
    client = client_as(fresh(people["city_coordinator"]))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    StakeholderFactory.create_batch(2, group=group)
    few = count()
    StakeholderFactory.create_batch(20, group=group)
    assert count() == few
