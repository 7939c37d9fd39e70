"""Who may use the account pages that write: API tokens and accepting an invitation, for every role."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from conet.accounts.models import ApiToken, Membership, Role, User
from conet.accounts.services import create_api_token
from tests.factories import (
    ALLOWED,
    PASSWORD,
    InvitationFactory,
    assert_refused,
    outcome_table,
    stored_rows,
)

SIGNED_IN_ROLES = {
    "signed_in", "platform_admin", "network_coordinator", "lead_expert", "expert",
    "city_coordinator", "lsg_member", "other_network_coordinator", "other_city_coordinator",
}  # fmt: skip
CREATE_TOKEN = outcome_table(SIGNED_IN_ROLES)
# A token is its owner's alone: to anyone else it does not exist, platform admins included.
DELETE_EXPERTS_TOKEN = outcome_table({"expert"}, refused=404)
# An invitation to an address nobody has yet: a visitor takes it up by creating that account;
# whoever is signed in with another address is told to sign out first.
ACCEPT_INVITATION_FOR_NEW_ADDRESS = outcome_table({"visitor"})


@pytest.mark.parametrize(("role", "outcome"), CREATE_TOKEN.items())
def test_api_tokens_page_is_shown_to_everyone_signed_in(role, outcome, people, client_as):
    response = client_as(people[role]).get(reverse("accounts:api_tokens"))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), CREATE_TOKEN.items())
def test_create_api_token_for_everyone_signed_in(role, outcome, people, client_as):
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("accounts:api_tokens"), {"name": "nightly export"})
    if outcome == ALLOWED:
        assert response.status_code == 200
        token = ApiToken.objects.get(user=people[role])
        assert token.name == "nightly export"
        key = response.context["new_key"]
        assert key in response.content.decode()
        assert ApiToken.hash_key(key) == token.key_hash
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), DELETE_EXPERTS_TOKEN.items())
def test_delete_api_token_only_by_its_owner(role, outcome, people, client_as):
    token, _key = create_api_token(people["expert"], name="sync")
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("accounts:api_token_delete", args=[token.pk]))
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert response.url == reverse("accounts:api_tokens")
        assert not ApiToken.objects.filter(pk=token.pk).exists()
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before


@pytest.mark.parametrize(("role", "outcome"), ACCEPT_INVITATION_FOR_NEW_ADDRESS.items())
def test_accept_invitation_for_a_new_address_only_as_a_visitor(
    role, outcome, people, network, client_as
):
    InvitationFactory(
        email="newcomer@example.org", role=Role.EXPERT, network=network, token="the-token"
    )
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(
        reverse("accounts:accept_invitation", args=["the-token"]),
        {"name": "New Comer", "password": PASSWORD},
    )
    if outcome == ALLOWED:
        assert response.status_code == 302
        newcomer = User.objects.get(email="newcomer@example.org")
        assert Membership.objects.filter(user=newcomer, role=Role.EXPERT, network=network).exists()
        assert client.session[SESSION_KEY] == str(newcomer.pk)
    else:
        assert response.status_code == outcome
        assert "This invitation is for newcomer@example.org" in response.content.decode()
        assert stored_rows() == before


@pytest.mark.parametrize("role", sorted(SIGNED_IN_ROLES))
def test_anyone_signed_in_with_the_invited_address_may_accept(role, people, network, client_as):
    user = people[role]
    InvitationFactory(email=user.email, role=Role.LEAD_EXPERT, network=network, token="mine")
    users_before = User.objects.count()
    response = client_as(user).post(reverse("accounts:accept_invitation", args=["mine"]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, role=Role.LEAD_EXPERT, network=network).exists()
    assert User.objects.count() == users_before
