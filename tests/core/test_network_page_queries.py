"""The network page fetches what it shows in a fixed number of queries, whatever the number of partners."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CityFactory,
    FactSheetFactory,
    NetworkFactory,
    OrganisationFactory,
    PartnershipFactory,
    activity,
)

# 5 for the network, partners, core tasks, feed and fact sheets; 2 for what each partner's plan and
# Local Support Group show (a link only where the plan is public, issue 12). A reader in another
# language than the network's adds 1: the translations of its texts.
NETWORK_PAGE_QUERIES = 7


def _network_with(partners: int):
    organisation = OrganisationFactory()
    network = NetworkFactory(contact_organisation=organisation)
    for city in CityFactory.create_batch(partners):
        PartnershipFactory(network=network, city=city)
    FactSheetFactory.create_batch(3, organisation=organisation)
    for number in range(partners):
        activity(network, text=f"Event {number}")
    return network


def _queries_for(client, url: str) -> int:
    client.get(url)  # warm the content-type cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_network_page_query_count_does_not_grow_with_partners(client):
    small = _network_with(partners=2)
    large = _network_with(partners=40)

    small_count = _queries_for(client, small.get_absolute_url())
    large_count = _queries_for(client, large.get_absolute_url())

    assert small_count == NETWORK_PAGE_QUERIES
    assert large_count == small_count


@pytest.mark.django_db
def test_network_page_for_a_coordinator_adds_only_session_user_roles_and_unread_count(
    client_as, people, network
):
    anonymous = _queries_for(client_as(None), network.get_absolute_url())
    coordinator = _queries_for(client_as(people["network_coordinator"]), network.get_absolute_url())
    assert coordinator == anonymous + 4


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_networks(client):
    NetworkFactory.create_batch(2)
    few = _queries_for(client, "/en/")
    NetworkFactory.create_batch(15)
    many = _queries_for(client, "/en/")
    assert few == many <= 2
