"""A platform admin adds a city in CoNet's own page and API (not only in Django's admin)."""

import pytest
from django.urls import reverse
from django.utils import translation

from conet.accounts.services import create_api_token
from conet.networks.models import City
from tests.factories import ALLOWED, assert_refused, outcome_table, stored_rows

ADD_CITY = outcome_table({"platform_admin"})
ALBA = {
    "name": "Alba Iulia",
    "country": "RO",
    "population": "63536",
    "latitude": "46.0667",
    "longitude": "23.5833",
    "languages": "ro,en",
    "description": "Capital of the Alba county.",
}


@pytest.mark.parametrize(("role", "outcome"), ADD_CITY.items())
def test_the_new_city_page_adds_a_city_only_for_platform_admins(role, outcome, people, client_as):
    client = client_as(people[role])
    url = reverse("networks:city_create")
    before = stored_rows()
    page, response = client.get(url), client.post(url, ALBA)
    if outcome == ALLOWED:
        assert page.status_code == 200
        city = City.objects.get(name="Alba Iulia")
        assert response.status_code == 302 and response.url == city.get_absolute_url()
        assert (city.slug, city.country, city.language_list) == ("alba-iulia", "RO", ["ro", "en"])
    else:
        assert_refused(page, outcome)
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), ADD_CITY.items())
def test_the_api_adds_a_city_only_for_platform_admins(role, outcome, people, client):
    headers = {}
    if people[role] is not None:
        headers = {"Authorization": f"Bearer {create_api_token(people[role], name='t')[1]}"}
    before = stored_rows()
    body = {**ALBA, "population": 63536, "latitude": 46.0667, "longitude": 23.5833}
    response = client.post("/api/v1/cities", body, content_type="application/json", headers=headers)
    if outcome == ALLOWED:
        assert response.status_code == 201, response.content
        assert response.json()["slug"] == "alba-iulia"
        assert response.json()["languages"] == ["ro", "en"]
    else:
        assert response.status_code == (401 if role == "visitor" else 403)
        assert stored_rows() == before


def test_a_second_city_of_the_same_name_gets_a_numbered_address(people, client_as):
    client = client_as(people["platform_admin"])
    for _ in range(2):
        assert client.post(reverse("networks:city_create"), ALBA).status_code == 302
    slugs = sorted(City.objects.filter(name="Alba Iulia").values_list("slug", flat=True))
    assert slugs == ["alba-iulia", "alba-iulia-2"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": "123"}, "latitude"),
        ({"languages": "ro,xx"}, "languages"),
        ({"country": "ZZ"}, "country"),
        ({"name": ""}, "name"),
        ({"slug": "new"}, "slug"),
    ],
)
def test_a_bad_city_is_refused_next_to_the_field_and_nothing_is_stored(
    people, client_as, changes, field
):
    client = client_as(people["platform_admin"])
    before = City.objects.count()
    with translation.override("it"):
        url = reverse("networks:city_create")
    response = client.post(url, {**ALBA, **changes}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 422
    assert response.context["form"].errors.get(field) or response.context["form"].non_field_errors()
    assert City.objects.count() == before


def test_the_city_list_offers_adding_a_city_to_platform_admins_only(people, client_as):
    url = reverse("networks:cities")
    add = reverse("networks:city_create")
    assert add in client_as(people["platform_admin"]).get(url).content.decode()
    assert add not in client_as(people["city_coordinator"]).get(url).content.decode()
