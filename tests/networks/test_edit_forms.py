"""The coordinators' forms: a conflicting save is shown, not lost; bad input is named next to its field."""

import html
import re

import pytest
from django.urls import reverse

from conet.networks import services
from conet.networks.forms import CityForm, NetworkForm, PartnershipForm
from conet.networks.models import Partnership
from tests.factories import CityFactory, form_data, stored_rows


def field_error(response, field: str) -> str:
    """The error text shown under `field`, as the visitor reads it."""
    match = re.search(
        rf'<small class="field-error" id="id_{field}_error">(.*?)</small>',
        response.content.decode(),
    )
    assert match, f"no error shown next to {field}"
    return html.unescape(match.group(1))


def input_value(response, field: str) -> str:
    match = re.search(rf'<input[^>]*name="{field}"[^>]*>', response.content.decode())
    assert match, f"no input {field}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


def test_network_edit_shows_the_other_persons_save_and_keeps_mine(people, network, client_as):
    client = client_as(people["network_coordinator"])
    mine = form_data(NetworkForm(instance=network), name="My name for it")  # loaded at version 1
    services.update_network(
        network, by=people["platform_admin"], expected_version=1, changes={"name": "Their name"}
    )
    url = reverse("networks:network_edit", args=[network.slug])
    response = client.post(url, mine)
    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert "Someone else saved this while you were editing." in text
    conflict = re.search(r'<table class="conflict">.*?</table>', text, re.S).group(0)
    assert "Their name" in conflict
    assert "My name for it" in conflict
    assert input_value(response, "name") == "My name for it"
    assert input_value(response, "version") == "2"
    network.refresh_from_db()
    assert (network.name, network.version) == ("Their name", 2)

    # Saving again from the form as shown keeps mine on top of theirs.
    again = client.post(url, {**mine, "version": input_value(response, "version")})
    assert again.status_code == 302
    network.refresh_from_db()
    assert (network.name, network.version) == ("My name for it", 3)


def test_partnership_edit_shows_the_conflict(people, network, city, client_as):
    partnership = Partnership.objects.get(network=network, city=city)
    client = client_as(people["network_coordinator"])
    mine = form_data(PartnershipForm(instance=partnership), focus_area_name="Ballarò")
    services.update_partnership(
        partnership,
        by=people["platform_admin"],
        expected_version=1,
        changes={"focus_area_name": "Kalsa"},
    )
    response = client.post(
        reverse("networks:partnership_edit", args=[network.slug, city.slug]), mine
    )
    assert response.status_code == 422
    assert "Kalsa" in html.unescape(response.content.decode())
    assert input_value(response, "focus_area_name") == "Ballarò"
    partnership.refresh_from_db()
    assert (partnership.focus_area_name, partnership.version) == ("Kalsa", 2)


def test_city_edit_shows_the_conflict(people, city, client_as):
    client = client_as(people["city_coordinator"])
    mine = form_data(CityForm(instance=city), description="Mine: the harbour")
    services.update_city(
        city, by=people["platform_admin"], expected_version=1, changes={"description": "Theirs"}
    )
    response = client.post(reverse("networks:city_edit", args=[city.slug]), mine)
    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert "Theirs" in text
    assert "Mine: the harbour</textarea>" in text
    city.refresh_from_db()
    assert (city.description, city.version) == ("Theirs", 2)


def test_network_end_date_before_start_is_shown_next_to_the_field(people, network, client_as):
    client = client_as(people["network_coordinator"])
    data = form_data(NetworkForm(instance=network), start_date="2010-05-01", end_date="2009-01-01")
    before = stored_rows()
    response = client.post(reverse("networks:network_edit", args=[network.slug]), data)
    assert response.status_code == 422
    assert field_error(response, "end_date") == "The end date is before the start date."
    assert stored_rows() == before


def test_network_language_must_be_one_the_platform_knows(people, network, client_as):
    client = client_as(people["network_coordinator"])
    data = form_data(NetworkForm(instance=network), language="tlh")
    before = stored_rows()
    response = client.post(reverse("networks:network_edit", args=[network.slug]), data)
    assert response.status_code == 422
    assert field_error(response, "language").startswith("Unknown language code: tlh.")
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"latitude": "200"}, "latitude", "Ensure this value is less than or equal to 90."),
        ({"longitude": "-181"}, "longitude", "Ensure this value is greater than or equal to -180."),
        ({"languages": "de,xx"}, "languages", "Unknown language code: xx."),
        ({"population": "-5"}, "population", "Ensure this value is greater than or equal to 0."),
        ({"name": ""}, "name", "This field is required."),
        ({"country": "XX"}, "country", "Select a valid choice."),
    ],
)
def test_city_bad_input_is_shown_next_to_the_field(changes, field, reason, people, city, client_as):
    client = client_as(people["city_coordinator"])
    data = form_data(CityForm(instance=city), **changes)
    before = stored_rows()
    response = client.post(reverse("networks:city_edit", args=[city.slug]), data)
    assert response.status_code == 422
    assert field_error(response, field).startswith(reason)
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"text": "", "language": "en"}, "text", "This field is required."),
        ({"text": "   ", "language": "en"}, "text", "This field is required."),
        ({"text": "Hello", "language": "tlh"}, "language", "Select a valid choice."),
    ],
)
def test_post_update_bad_input_is_shown_next_to_the_field(
    data, field, reason, people, network, client_as
):
    client = client_as(people["lead_expert"])
    before = stored_rows()
    response = client.post(reverse("networks:post_update", args=[network.slug]), data)
    assert response.status_code == 422
    assert field_error(response, field).startswith(reason)
    assert stored_rows() == before


def test_adding_a_second_lead_partner_is_refused_with_the_reason(people, network, city, client_as):
    Partnership.objects.filter(network=network, city=city).update(role="lead_partner")
    newcomer = CityFactory()
    client = client_as(people["network_coordinator"])
    before = stored_rows()
    response = client.post(
        reverse("networks:partners", args=[network.slug]),
        {"city": newcomer.pk, "role": "lead_partner", "focus_area_name": ""},
    )
    assert response.status_code == 422
    assert "The network already has a lead partner." in response.content.decode()
    assert stored_rows() == before


def test_a_city_already_partner_is_not_offered_again(people, network, city, client_as):
    client = client_as(people["network_coordinator"])
    before = stored_rows()
    response = client.post(
        reverse("networks:partners", args=[network.slug]),
        {"city": city.pk, "role": "partner", "focus_area_name": ""},
    )
    assert response.status_code == 422
    assert field_error(response, "city").startswith("Select a valid choice.")
    assert stored_rows() == before
