"""Who may use which coordinator page: every write view of the networks app, for every role.

The tables follow conet/networks/rules.py. A refusal answers 403 to a signed-in person and sends a
visitor to the login page, and leaves the database as it was.
"""

import pytest
from django.core import mail
from django.urls import reverse

from conet.accounts.models import Invitation, Membership, Role
from conet.core.models import ActivityEvent
from conet.networks.forms import CityForm, NetworkForm, PartnershipForm
from conet.networks.models import Partnership
from tests.factories import (
    ALLOWED,
    CityFactory,
    InvitationFactory,
    assert_refused,
    form_data,
    outcome_table,
    stored_rows,
)

CHANGE_NETWORK = outcome_table({"platform_admin", "network_coordinator"})
POST_UPDATE = outcome_table({"platform_admin", "network_coordinator", "lead_expert"})
MANAGE_PARTNERSHIPS = outcome_table({"platform_admin", "network_coordinator"})
CHANGE_CITY = outcome_table({"platform_admin", "city_coordinator"})
INVITE_TO_NETWORK = outcome_table({"platform_admin", "network_coordinator"})
# The city's coordinator, and the coordinator of a network the city is a partner in.
INVITE_TO_CITY = outcome_table({"platform_admin", "city_coordinator", "network_coordinator"})
# Anyone may give up their own role; coordinators may take one away in their scope.
REVOKE_LSG_MEMBERSHIP = outcome_table(
    {"platform_admin", "lsg_member", "city_coordinator", "network_coordinator"}
)
REVOKE_EXPERT_MEMBERSHIP = outcome_table({"platform_admin", "expert", "network_coordinator"})
WITHDRAW_NETWORK_INVITATION = INVITE_TO_NETWORK
WITHDRAW_CITY_INVITATION = INVITE_TO_CITY


@pytest.fixture
def partnership(network, city):
    return Partnership.objects.get(network=network, city=city)


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_network_edit_page_is_shown_only_to_who_may_change_the_network(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(reverse("networks:network_edit", args=[network.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert 'name="version"' in response.content.decode()
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), CHANGE_NETWORK.items())
def test_network_edit_saves_only_for_who_may_change_the_network(
    role, outcome, people, network, client_as
):
    client = client_as(people[role])
    data = form_data(NetworkForm(instance=network), name="Renamed network")
    before = stored_rows()
    response = client.post(reverse("networks:network_edit", args=[network.slug]), data)
    network.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert response.url == network.get_absolute_url()
        assert network.name == "Renamed network"
        assert network.version == 2
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), POST_UPDATE.items())
def test_post_update_only_for_coordinator_lead_expert_and_admin(
    role, outcome, people, network, client_as
):
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(
        reverse("networks:post_update", args=[network.slug]),
        {"text": "The LSG met in the town hall.", "language": "en"},
    )
    if outcome == ALLOWED:
        assert response.status_code == 302
        event = ActivityEvent.objects.get(kind="update")
        assert event.text == "The LSG met in the town hall."
        assert event.actor == people[role]
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_partners_page_is_shown_only_to_who_manages_partnerships(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(reverse("networks:partners", args=[network.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_add_partner_only_for_who_manages_partnerships(role, outcome, people, network, client_as):
    new_city = CityFactory(slug="new-city")
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(
        reverse("networks:partners", args=[network.slug]),
        {"city": new_city.pk, "role": "partner", "focus_area_name": "Old town"},
    )
    if outcome == ALLOWED:
        assert response.status_code == 302
        added = Partnership.objects.get(network=network, city=new_city)
        assert added.focus_area_name == "Old town"
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_partnership_edit_page_is_shown_only_to_who_manages_partnerships(
    role, outcome, people, network, city, client_as
):
    response = client_as(people[role]).get(
        reverse("networks:partnership_edit", args=[network.slug, city.slug])
    )
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_partnership_edit_saves_only_for_who_manages_partnerships(
    role, outcome, people, network, city, partnership, client_as
):
    client = client_as(people[role])
    data = form_data(PartnershipForm(instance=partnership), focus_area_name="Ballarò")
    before = stored_rows()
    response = client.post(
        reverse("networks:partnership_edit", args=[network.slug, city.slug]), data
    )
    partnership.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert partnership.focus_area_name == "Ballarò"
        assert partnership.version == 2
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), MANAGE_PARTNERSHIPS.items())
def test_partnership_remove_only_for_who_manages_partnerships(
    role, outcome, people, network, city, partnership, client_as
):
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("networks:partnership_remove", args=[network.slug, city.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Partnership.objects.filter(pk=partnership.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE_CITY.items())
def test_city_edit_page_is_shown_only_to_who_may_change_the_city(
    role, outcome, people, city, client_as
):
    response = client_as(people[role]).get(reverse("networks:city_edit", args=[city.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), CHANGE_CITY.items())
def test_city_edit_saves_only_for_admin_and_the_citys_coordinator(
    role, outcome, people, city, client_as
):
    client = client_as(people[role])
    data = form_data(CityForm(instance=city), population=123_456)
    before = stored_rows()
    response = client.post(reverse("networks:city_edit", args=[city.slug]), data)
    city.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert city.population == 123_456
        assert city.version == 2
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), INVITE_TO_NETWORK.items())
def test_network_members_page_is_shown_only_to_who_may_invite(
    role, outcome, people, network, client_as
):
    response = client_as(people[role]).get(reverse("networks:network_members", args=[network.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), INVITE_TO_NETWORK.items())
def test_invite_to_network_only_for_admin_and_its_coordinator(
    role, outcome, people, network, client_as, django_capture_on_commit_callbacks
):
    client = client_as(people[role])
    before = stored_rows()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:network_members", args=[network.slug]),
            {"email": "new.expert@example.org", "role": Role.EXPERT, "message": ""},
        )
    if outcome == ALLOWED:
        assert response.status_code == 302
        invitation = Invitation.objects.get(email="new.expert@example.org")
        assert (invitation.network, invitation.role) == (network, Role.EXPERT)
        assert [message.to for message in mail.outbox] == [["new.expert@example.org"]]
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before
        assert mail.outbox == []


@pytest.mark.parametrize(("role", "outcome"), INVITE_TO_CITY.items())
def test_city_members_page_is_shown_only_to_who_may_invite(role, outcome, people, city, client_as):
    response = client_as(people[role]).get(reverse("networks:city_members", args=[city.slug]))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), INVITE_TO_CITY.items())
def test_invite_lsg_member_only_for_admin_city_coordinator_and_network_coordinator(
    role, outcome, people, city, client_as, django_capture_on_commit_callbacks
):
    client = client_as(people[role])
    before = stored_rows()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:city_members", args=[city.slug]),
            {"email": "neighbour@example.org", "role": Role.LSG_MEMBER, "message": "Join us"},
        )
    if outcome == ALLOWED:
        assert response.status_code == 302
        invitation = Invitation.objects.get(email="neighbour@example.org")
        assert (invitation.city, invitation.role) == (city, Role.LSG_MEMBER)
        assert [message.to for message in mail.outbox] == [["neighbour@example.org"]]
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before
        assert mail.outbox == []


@pytest.mark.parametrize(("role", "outcome"), REVOKE_LSG_MEMBERSHIP.items())
def test_revoke_city_membership_for_admin_the_member_and_coordinators_of_the_city(
    role, outcome, people, city, client_as
):
    membership = Membership.objects.get(user=people["lsg_member"], city=city)
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("networks:membership_revoke", args=[membership.pk]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Membership.objects.filter(pk=membership.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), REVOKE_EXPERT_MEMBERSHIP.items())
def test_revoke_network_membership_for_admin_the_member_and_the_networks_coordinator(
    role, outcome, people, network, client_as
):
    membership = Membership.objects.get(user=people["expert"], network=network)
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("networks:membership_revoke", args=[membership.pk]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Membership.objects.filter(pk=membership.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), WITHDRAW_NETWORK_INVITATION.items())
def test_withdraw_network_invitation_only_for_who_may_invite_to_the_network(
    role, outcome, people, network, client_as
):
    invitation = InvitationFactory(network=network, invited_by=people["network_coordinator"])
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("networks:invitation_withdraw", args=[invitation.pk]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), WITHDRAW_CITY_INVITATION.items())
def test_withdraw_city_invitation_only_for_who_may_invite_to_the_city(
    role, outcome, people, city, client_as
):
    invitation = InvitationFactory(
        network=None, city=city, role=Role.LSG_MEMBER, invited_by=people["city_coordinator"]
    )
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("networks:invitation_withdraw", args=[invitation.pk]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


def test_edit_views_answer_404_for_a_network_that_does_not_exist(people, client_as):
    client = client_as(people["platform_admin"])
    assert client.get(reverse("networks:network_edit", args=["nowhere"])).status_code == 404
    assert client.post(reverse("networks:post_update", args=["nowhere"])).status_code == 404
    assert client.get(reverse("networks:partners", args=["nowhere"])).status_code == 404


def test_write_views_refuse_get_where_only_post_is_meant(people, network, city, client_as):
    client = client_as(people["platform_admin"])
    before = stored_rows()
    remove = reverse("networks:partnership_remove", args=[network.slug, city.slug])
    assert client.get(remove).status_code == 405
    assert client.get(reverse("networks:post_update", args=[network.slug])).status_code == 405
    assert stored_rows() == before
