"""Who may see and change a Local Support Group.

The city's coordinator runs the group; its members and the network's team (coordinator, lead
expert, experts) see it.
Contact details are personal data: only the city's coordinator and platform admins see them.
"""

import rules

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.localgroups.models import LocalSupportGroup, Stakeholder
from conet.networks.models import Partnership


def _partnership(obj):
    if isinstance(obj, Stakeholder):
        return obj.group.partnership
    if isinstance(obj, LocalSupportGroup):
        return obj.partnership
    if isinstance(obj, Partnership):
        return obj
    return None


@rules.predicate
def coordinates_groups_city(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_city(
        partnership.city_id, Role.CITY_COORDINATOR
    )


@rules.predicate
def works_in_groups_network(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_network(
        partnership.network_id, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT
    )


@rules.predicate
def belongs_to_groups_city(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_city(
        partnership.city_id, Role.CITY_COORDINATOR, Role.LSG_MEMBER
    )


rules.add_perm("localgroups.change_group", is_platform_admin | coordinates_groups_city)
rules.add_perm(
    "localgroups.view_group",
    is_platform_admin | belongs_to_groups_city | works_in_groups_network,
)
rules.add_perm("localgroups.view_contacts", is_platform_admin | coordinates_groups_city)
