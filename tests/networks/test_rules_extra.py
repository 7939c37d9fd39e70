"""Edge cases of who may take a role back, and duplicate invitations."""

import pytest
from django.core.exceptions import ValidationError

from conet.accounts import services as account_services
from conet.accounts.models import Membership, Role
from conet.networks.rules import invitable_roles
from tests.factories import MembershipFactory


@pytest.mark.django_db
def test_city_coordinator_cannot_remove_another_city_coordinator(people, city):
    other = MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city)
    assert not people["city_coordinator"].has_perm("networks.revoke_membership", other)
    lsg = Membership.objects.get(user=people["lsg_member"])
    assert people["city_coordinator"].has_perm("networks.revoke_membership", lsg)
    assert people["network_coordinator"].has_perm("networks.revoke_membership", other)


@pytest.mark.django_db
def test_second_invitation_to_the_same_role_is_refused(people, city):
    coordinator = people["city_coordinator"]
    roles = invitable_roles(coordinator, city)
    account_services.invite(
        by=coordinator,
        email="new@example.org",
        role=Role.LSG_MEMBER,
        scope=city,
        allowed_roles=roles,
    )
    with pytest.raises(ValidationError) as error:
        account_services.invite(
            by=coordinator,
            email="NEW@example.org",
            role=Role.LSG_MEMBER,
            scope=city,
            allowed_roles=roles,
        )
    assert "already waiting" in str(error.value)


@pytest.mark.django_db
def test_network_coordinator_sees_the_members_link_on_a_partner_city(client_as, people, city):
    body = client_as(people["network_coordinator"]).get(city.get_absolute_url()).content.decode()
    assert f"/en/cities/{city.slug}/members/" in body
    assert f"/en/cities/{city.slug}/edit/" not in body
