"""Who may do what with networks, cities, partnerships and memberships.

Roles come from `roles_of(user)`: one query per request, whatever the number of checks.
"""

import rules

from conet.accounts.models import Membership, Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.networks.models import City, Network, Partnership


def _network(obj) -> Network | None:
    if isinstance(obj, Network):
        return obj
    if isinstance(obj, Partnership):
        return obj.network
    return None


@rules.predicate
def coordinates_network(user, obj) -> bool:
    network = _network(obj)
    return network is not None and roles_of(user).in_network(network.pk, Role.NETWORK_COORDINATOR)


@rules.predicate
def leads_network(user, obj) -> bool:
    network = _network(obj)
    return network is not None and roles_of(user).in_network(
        network.pk, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT
    )


@rules.predicate
def coordinates_city(user, city) -> bool:
    return isinstance(city, City) and roles_of(user).in_city(city.pk, Role.CITY_COORDINATOR)


@rules.predicate
def coordinates_a_network_of_city(user, city) -> bool:
    if not isinstance(city, City):
        return False
    coordinated = {
        network_id
        for role, network_id in roles_of(user).network_roles
        if role == Role.NETWORK_COORDINATOR
    }
    return bool(coordinated) and city.partnerships.filter(network_id__in=coordinated).exists()


@rules.predicate
def may_revoke(user, membership) -> bool:
    if not isinstance(membership, Membership):
        return False
    if membership.user_id == user.pk:
        return True  # anyone may leave
    if membership.network_id:
        return roles_of(user).in_network(membership.network_id, Role.NETWORK_COORDINATOR)
    if coordinates_a_network_of_city(user, membership.city):
        return True
    # A city coordinator hands out and takes back LSG memberships, not other coordinators' roles.
    return membership.role == Role.LSG_MEMBER and coordinates_city(user, membership.city)


can_change_network = is_platform_admin | coordinates_network
can_invite_to_city = is_platform_admin | coordinates_city | coordinates_a_network_of_city

rules.add_perm("networks.add_network", is_platform_admin)
rules.add_perm("networks.add_city", is_platform_admin)
rules.add_perm("networks.change_network", can_change_network)
rules.add_perm("networks.post_update", is_platform_admin | leads_network)
rules.add_perm("networks.manage_partnerships", can_change_network)
rules.add_perm("networks.change_city", is_platform_admin | coordinates_city)
rules.add_perm("networks.change_organisation", is_platform_admin)
rules.add_perm("networks.invite_to_network", can_change_network)
rules.add_perm("networks.invite_to_city", can_invite_to_city)
rules.add_perm("networks.revoke_membership", is_platform_admin | may_revoke)


def invitable_roles(user, scope) -> list[Role]:
    """The roles `user` may hand out in `scope` (a network or a city)."""
    if isinstance(scope, Network):
        if can_change_network(user, scope):
            return [Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT]
        return []
    if isinstance(scope, City):
        if is_platform_admin(user) or coordinates_a_network_of_city(user, scope):
            return [Role.CITY_COORDINATOR, Role.LSG_MEMBER]
        if coordinates_city(user, scope):
            return [Role.LSG_MEMBER]
    return []
