"""Who holds which role where, read once per request and kept on the user object."""

from dataclasses import dataclass

from conet.accounts.models import Membership, Role


@dataclass(frozen=True)
class Roles:
    network_roles: frozenset[tuple[str, int]]  # (role, network id)
    city_roles: frozenset[tuple[str, int]]  # (role, city id)

    def in_network(self, network_id: int, *roles: str) -> bool:
        return any((role, network_id) in self.network_roles for role in roles)

    def in_city(self, city_id: int, *roles: str) -> bool:
        return any((role, city_id) in self.city_roles for role in roles)

    @property
    def network_ids(self) -> set[int]:
        return {network_id for _role, network_id in self.network_roles}

    @property
    def city_ids(self) -> set[int]:
        return {city_id for _role, city_id in self.city_roles}


NO_ROLES = Roles(frozenset(), frozenset())


def roles_of(user) -> Roles:
    """The user's roles, from one query the first time they are needed in this request."""
    if user is None or not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_conet_roles", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list("role", "network_id", "city_id")
        cached = Roles(
            frozenset((role, network) for role, network, _city in rows if network is not None),
            frozenset((role, city) for role, _network, city in rows if city is not None),
        )
        user._conet_roles = cached
    return cached


def forget_roles(user) -> None:
    if hasattr(user, "_conet_roles"):
        del user._conet_roles


__all__ = ["NO_ROLES", "Role", "Roles", "forget_roles", "roles_of"]
