"""The signed-in dashboard: my networks, my cities, and what needs my attention."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conet.accounts import services as account_services
from conet.accounts.models import Role
from conet.networks.rules import invitable_roles
from tests.factories import UserFactory


@pytest.mark.django_db
def test_dashboard_needs_sign_in(client):
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.django_db
def test_dashboard_lists_my_networks_and_cities_with_roles(client_as, people, network, city):
    body = client_as(people["network_coordinator"]).get("/en/dashboard/").content.decode()
    assert network.name in body and "network coordinator" in body
    body = client_as(people["lsg_member"]).get("/en/dashboard/").content.decode()
    assert city.name in body and "Local Support Group member" in body


@pytest.mark.django_db
def test_dashboard_has_honest_empty_states(client_as):
    body = client_as(UserFactory()).get("/en/dashboard/").content.decode()
    assert "You have no role in a network" in body
    assert "You have no role in a city" in body
    assert "Nothing needs your attention right now" in body


@pytest.mark.django_db
def test_dashboard_shows_invitations_waiting_for_an_answer(client_as, people, network):
    coordinator = people["network_coordinator"]
    account_services.invite(
        by=coordinator,
        email="lead@example.org",
        role=Role.LEAD_EXPERT,
        scope=network,
        allowed_roles=invitable_roles(coordinator, network),
    )
    body = client_as(coordinator).get("/en/dashboard/").content.decode()
    assert "lead@example.org" in body


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_memberships(client_as, people, network):
    from tests.factories import MembershipFactory, NetworkFactory

    user = people["expert"]
    client = client_as(user)
    client.get("/en/dashboard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/dashboard/")
    for other in NetworkFactory.create_batch(5):
        MembershipFactory(user=user, role=Role.EXPERT, network=other)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/dashboard/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_dashboard_greets_the_person_by_their_name_not_its_first_word(client_as):
    named = UserFactory(name="City Coordinator (Sofia)")
    assert (
        "Hello, City Coordinator (Sofia)" in client_as(named).get("/en/dashboard/").content.decode()
    )
    nameless = UserFactory(name="", email="someone@example.org")
    assert (
        "Hello, someone@example.org" in client_as(nameless).get("/en/dashboard/").content.decode()
    )
