"""The public pages, and the coordinators' links on them shown to exactly those who may use them."""

import pytest
from django.urls import reverse

from tests.factories import ALLOWED, FactSheetFactory, OrganisationFactory, outcome_table

SEES_EDIT_LINKS = outcome_table({"platform_admin", "network_coordinator"}, refused=200, visitor=200)
SEES_UPDATE_FORM = outcome_table(
    {"platform_admin", "network_coordinator", "lead_expert"}, refused=200, visitor=200
)
SEES_CITY_EDIT_LINK = outcome_table(
    {"platform_admin", "city_coordinator"}, refused=200, visitor=200
)


@pytest.mark.parametrize(
    "name", ["networks:home", "networks:cities", "accounts:login", "accounts:password_reset"]
)
def test_public_pages_answer_a_visitor(name, network, client):
    assert client.get(reverse(name)).status_code == 200


def test_network_page_shows_the_network_and_its_partners(network, city, client):
    response = client.get(reverse("networks:network", args=[network.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Test Network" in text
    assert "Partner City" in text
    assert reverse("networks_machine:feed", args=[network.slug]) in text


@pytest.mark.parametrize(("role", "outcome"), SEES_EDIT_LINKS.items())
def test_network_page_offers_edit_links_only_to_who_may_change_it(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(reverse("networks:network", args=[network.slug]))
    assert response.status_code == 200
    edit_link = reverse("networks:network_edit", args=[network.slug])
    assert (edit_link in response.content.decode()) == (outcome == ALLOWED)


@pytest.mark.parametrize(("role", "outcome"), SEES_UPDATE_FORM.items())
def test_network_page_offers_the_update_form_only_to_who_may_post(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(reverse("networks:network", args=[network.slug]))
    post_action = f'action="{reverse("networks:post_update", args=[network.slug])}"'
    assert (post_action in response.content.decode()) == (outcome == ALLOWED)


@pytest.mark.parametrize(("role", "outcome"), SEES_CITY_EDIT_LINK.items())
def test_city_page_offers_the_edit_link_only_to_who_may_change_it(
    role, outcome, people, city, client_as
):
    response = client_as(people[role]).get(reverse("networks:city", args=[city.slug]))
    assert response.status_code == 200
    edit_link = reverse("networks:city_edit", args=[city.slug])
    assert (edit_link in response.content.decode()) == (outcome == ALLOWED)


def test_organisation_page_lists_its_fact_sheets(db, client):
    organisation = OrganisationFactory(name="CESIE", slug="cesie")
    FactSheetFactory(organisation=organisation, title="EUnify 2014")
    response = client.get(reverse("networks:organisation", args=["cesie"]))
    assert response.status_code == 200
    assert "EUnify 2014" in response.content.decode()


def test_city_list_searches_by_name(network, city, client):
    response = client.get(reverse("networks:cities"), {"q": "partner"})
    assert "Partner City" in response.content.decode()
    response = client.get(reverse("networks:cities"), {"q": "nowhere"})
    assert "Partner City" not in response.content.decode()


def test_unknown_pages_answer_404(db, client):
    assert client.get(reverse("networks:network", args=["nowhere"])).status_code == 404
    assert client.get(reverse("networks:city", args=["nowhere"])).status_code == 404
    assert client.get(reverse("networks:organisation", args=["nowhere"])).status_code == 404
