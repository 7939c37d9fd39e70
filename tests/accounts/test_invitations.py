"""Invitations: the e-mail and its link, taking it up, and every way it can be refused."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conet.accounts import services
from conet.accounts.models import Invitation, Membership, Role, User
from conet.networks.rules import invitable_roles
from tests.factories import PASSWORD, InvitationFactory, UserFactory, stored_rows


def link_in(message) -> str:
    """The path of the invitation link in an e-mail."""
    match = re.search(r"http://testserver(/[a-z]{2}/invitations/accept/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invite_by_web(client_as, django_capture_on_commit_callbacks):
    def invite(user, scope_url: str, **data):
        client = client_as(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(scope_url, {"message": "", **data})
        return response

    return invite


def test_invite_sends_an_email_whose_link_opens_the_invitation(
    people, network, invite_by_web, client_as
):
    coordinator = people["network_coordinator"]
    response = invite_by_web(
        coordinator,
        reverse("networks:network_members", args=[network.slug]),
        email="Sara.Expert@Example.org",
        role=Role.EXPERT,
        message="We would love your help with the Guide.",
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sara.expert@example.org"]
    assert network.name in message.subject
    assert "We would love your help with the Guide." in message.body
    page = client_as(None).get(link_in(message))
    assert page.status_code == 200
    text = page.content.decode()
    assert coordinator.name in text
    assert "Create your account for sara.expert@example.org" in text


def test_accepting_as_a_new_person_creates_account_and_membership_and_signs_in(
    people, city, invite_by_web, client_as
):
    invite_by_web(
        people["city_coordinator"],
        reverse("networks:city_members", args=[city.slug]),
        email="neighbour@example.org",
        role=Role.LSG_MEMBER,
    )
    client = client_as(None)
    response = client.post(
        link_in(mail.outbox[0]), {"name": "Nina Neighbour", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
    user = User.objects.get(email="neighbour@example.org")
    assert user.name == "Nina Neighbour"
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, role=Role.LSG_MEMBER, city=city).exists()
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    invitation = Invitation.objects.get(email="neighbour@example.org")
    assert invitation.accepted_by == user


def test_an_invitation_cannot_be_accepted_twice(network, client_as):
    InvitationFactory(email="twice@example.org", network=network, token="twice")
    url = reverse("accounts:accept_invitation", args=["twice"])
    first = client_as(None).post(url, {"name": "First", "password": PASSWORD})
    assert first.status_code == 302
    before = stored_rows()
    second = client_as(None).post(url, {"name": "Second", "password": PASSWORD})
    assert second.status_code == 410
    assert "This invitation has already been used." in second.content.decode()
    assert stored_rows() == before


def test_the_service_refuses_an_invitation_already_used(network):
    invitation = InvitationFactory(network=network)
    services.accept_invitation(invitation, user=None, name="Once", password=PASSWORD)
    with pytest.raises(ValidationError, match="already been used"):
        services.accept_invitation(invitation, user=UserFactory(email=invitation.email + ".x"))
    assert Membership.objects.filter(network=network).count() == 1


def test_an_expired_invitation_is_refused(network, client_as):
    InvitationFactory(
        email="late@example.org",
        network=network,
        token="late",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    before = stored_rows()
    response = client_as(None).post(
        reverse("accounts:accept_invitation", args=["late"]), {"name": "Late", "password": PASSWORD}
    )
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert stored_rows() == before


def test_the_service_refuses_an_expired_invitation(network):
    invitation = InvitationFactory(network=network, expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(invitation, user=None, name="Late", password=PASSWORD)
    assert not User.objects.filter(email=invitation.email).exists()


def test_signed_in_with_another_address_is_told_to_sign_out(people, network, client_as):
    invitation = InvitationFactory(email="someone.else@example.org", network=network, token="t")
    before = stored_rows()
    response = client_as(people["signed_in"]).post(
        reverse("accounts:accept_invitation", args=["t"])
    )
    assert response.status_code == 403
    assert (
        "This invitation is for someone.else@example.org. Sign out and accept it with that address."
        in response.content.decode()
    )
    assert stored_rows() == before
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_a_link_with_an_unknown_token_is_not_found(db, client_as):
    response = client_as(None).get(reverse("accounts:accept_invitation", args=["made-up"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_a_visitor_whose_address_has_an_account_is_asked_to_sign_in(network, client_as):
    existing = UserFactory(email="known@example.org")
    InvitationFactory(email="known@example.org", network=network, token="known")
    before = stored_rows()
    response = client_as(None).post(
        reverse("accounts:accept_invitation", args=["known"]),
        {"name": "Impostor", "password": PASSWORD},
    )
    assert response.status_code == 422
    assert "An account with this address exists: sign in first." in response.content.decode()
    assert stored_rows() == before
    assert not existing.memberships.exists()


def test_a_weak_password_is_refused_next_to_the_field(network, client_as):
    InvitationFactory(email="weak@example.org", network=network, token="weak")
    before = stored_rows()
    response = client_as(None).post(
        reverse("accounts:accept_invitation", args=["weak"]), {"name": "Weak", "password": "1234"}
    )
    assert response.status_code == 422
    assert 'id="id_password_error"' in response.content.decode()
    assert stored_rows() == before


def test_inviting_an_invalid_address_shows_the_field_error(people, network, invite_by_web):
    before = stored_rows()
    response = invite_by_web(
        people["network_coordinator"],
        reverse("networks:network_members", args=[network.slug]),
        email="not-an-address",
        role=Role.EXPERT,
    )
    assert response.status_code == 422
    assert re.search(
        r'<small class="field-error" id="id_email_error">Enter a valid email address.</small>',
        response.content.decode(),
    )
    assert stored_rows() == before
    assert mail.outbox == []


def test_the_service_refuses_an_invalid_address_naming_the_field(people, network):
    with pytest.raises(ValidationError) as refused:
        services.invite(
            by=people["network_coordinator"],
            email="nobody@",
            role=Role.EXPERT,
            scope=network,
            allowed_roles=invitable_roles(people["network_coordinator"], network),
        )
    assert list(refused.value.message_dict) == ["email"]
    assert not Invitation.objects.exists()


def test_city_coordinator_cannot_invite_a_city_coordinator(people, city, invite_by_web):
    before = stored_rows()
    response = invite_by_web(
        people["city_coordinator"],
        reverse("networks:city_members", args=[city.slug]),
        email="second.coordinator@example.org",
        role=Role.CITY_COORDINATOR,
    )
    assert response.status_code == 422
    assert 'id="id_role_error"' in response.content.decode()
    assert response.context["form"].fields["role"].choices == [
        (Role.LSG_MEMBER.value, Role.LSG_MEMBER.label)
    ]
    assert stored_rows() == before
    assert mail.outbox == []


def test_the_service_refuses_a_role_the_inviter_may_not_hand_out(people, city):
    coordinator = people["city_coordinator"]
    with pytest.raises(PermissionDenied):
        services.invite(
            by=coordinator,
            email="second.coordinator@example.org",
            role=Role.CITY_COORDINATOR,
            scope=city,
            allowed_roles=invitable_roles(coordinator, city),
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("role", "network_roles", "city_roles"),
    [
        ("signed_in", [], []),
        ("platform_admin", ["network_coordinator", "lead_expert", "expert"], ["city_coordinator", "lsg_member"]),
        ("network_coordinator", ["network_coordinator", "lead_expert", "expert"], ["city_coordinator", "lsg_member"]),
        ("lead_expert", [], []),
        ("expert", [], []),
        ("city_coordinator", [], ["lsg_member"]),
        ("lsg_member", [], []),
        ("other_network_coordinator", [], []),
        ("other_city_coordinator", [], []),
    ],
)  # fmt: skip
def test_invitable_roles_follow_the_inviters_role(
    role, network_roles, city_roles, people, network, city
):
    user = people[role]
    assert invitable_roles(user, network) == network_roles
    assert invitable_roles(user, city) == city_roles


def test_a_network_coordinator_may_invite_a_city_coordinator_for_a_partner_city(
    people, city, invite_by_web
):
    response = invite_by_web(
        people["network_coordinator"],
        reverse("networks:city_members", args=[city.slug]),
        email="new.coordinator@example.org",
        role=Role.CITY_COORDINATOR,
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="new.coordinator@example.org").role == Role.CITY_COORDINATOR
    assert len(mail.outbox) == 1


def test_inviting_someone_who_already_has_the_role_is_refused(people, network, invite_by_web):
    before = stored_rows()
    response = invite_by_web(
        people["network_coordinator"],
        reverse("networks:network_members", args=[network.slug]),
        email=people["expert"].email.upper(),
        role=Role.EXPERT,
    )
    assert response.status_code == 422
    assert "This person already has this role here." in response.content.decode()
    assert stored_rows() == before


def test_an_accepted_invitation_cannot_be_withdrawn(people, network, client_as):
    invitation = InvitationFactory(network=network)
    services.accept_invitation(invitation, user=None, name="Taken", password=PASSWORD)
    before = stored_rows()
    client = client_as(people["network_coordinator"])
    response = client.post(
        reverse("networks:invitation_withdraw", args=[invitation.pk]), follow=True
    )
    assert "This invitation has already been used." in response.content.decode()
    assert stored_rows() == before
