"""Starting a workshop from the interface: the button on a city's and a network's page for those
the rules allow (and nobody else), and /workshops/new/ on its own offering the places one may
start in — never a 404 for someone allowed, a clear 4xx for a malformed address."""

import pytest
from django.urls import reverse

from tests.factories import SIGN_IN, assert_refused

START = "Start a workshop"
# The rules (workshops.create_workshop): the city's coordinator, the network's staff (the city is
# their partner), platform admins.
CITY_STARTERS = {"platform_admin", "city_coordinator", "network_coordinator", "lead_expert"}
NETWORK_STARTERS = {"platform_admin", "network_coordinator", "lead_expert"}


def _fresh(user):
    from conet.accounts.roles import forget_roles

    if user is not None:
        forget_roles(user)
    return user


def _start_link(html: str) -> str | None:
    marker = '<p class="actions start-workshop"><a role="button" href="'
    if marker not in html:
        return None
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)].replace("&amp;", "&")


@pytest.mark.parametrize("role", ["visitor", "signed_in", "platform_admin", "network_coordinator",
                                  "lead_expert", "expert", "city_coordinator", "lsg_member",
                                  "other_network_coordinator", "other_city_coordinator"])  # fmt: skip
def test_the_city_and_network_pages_offer_to_start_a_workshop_to_those_allowed(
    role, people, city, network, client_as
):
    client = client_as(_fresh(people[role]))
    city_page = client.get(reverse("networks:city", args=[city.slug])).content.decode()
    network_page = client.get(reverse("networks:network", args=[network.slug])).content.decode()

    city_link, network_link = _start_link(city_page), _start_link(network_page)
    assert (city_link is not None) == (role in CITY_STARTERS)
    assert (network_link is not None) == (role in NETWORK_STARTERS)
    for link in (city_link, network_link):
        if link:  # the link leads to the set-up form, not to a refusal
            response = client.get(link)
            assert response.status_code == 200
            assert "workshops/form.html" in [t.name for t in response.templates]
    if city_link:
        assert city_link == reverse("workshops:create") + f"?city={city.pk}"


def test_without_a_place_the_set_up_page_offers_the_places_one_may_start_in(
    people, city, network, client_as
):
    url = reverse("workshops:create")
    page = client_as(_fresh(people["city_coordinator"])).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{url}?city={city.pk}"' in html
    assert "?network=" not in html  # a city's coordinator sets up workshops for their city only

    page = client_as(_fresh(people["network_coordinator"])).get(url)
    html = page.content.decode()
    assert f'href="{url}?city={city.pk}"' in html  # the network's partner city
    assert f'href="{url}?network={network.pk}"' in html
    assert "other-city" not in html


def test_the_workshop_list_offers_to_start_one_to_those_who_may(people, city, client_as):
    for role, offered in [("city_coordinator", True), ("lsg_member", False)]:
        html = client_as(_fresh(people[role])).get(reverse("workshops:list")).content.decode()
        assert (f'href="{reverse("workshops:create")}"' in html) == offered, role


def test_someone_who_may_start_no_workshop_is_told_why_not_given_a_404(people, client_as):
    response = client_as(_fresh(people["lsg_member"])).get(reverse("workshops:create"))
    assert response.status_code == 403
    assert reverse("workshops:join_start") in response.content.decode()
    response = client_as(None).get(reverse("workshops:create"))
    assert_refused(response, SIGN_IN)


@pytest.mark.parametrize(
    ("query", "status"),
    [("city=abc", 400), ("network=1x", 400), ("city=999999", 404), ("network=999999", 404)],
)
def test_a_malformed_place_is_a_client_error_not_a_crash(query, status, people, client_as):
    response = client_as(_fresh(people["platform_admin"])).get(
        reverse("workshops:create") + "?" + query
    )
    assert response.status_code == status
