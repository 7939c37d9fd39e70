"""Who may do what with good practices, interviews, approach texts and guides.

The network's team (its coordinator, lead expert and experts) edits the network's practices and
compiles its guide; a city coordinator proposes practices of their own city and edits them while
they are drafts; the coordinator and the lead expert publish the guide; visitors see what is
published. Imported practices that belong to no network are edited by platform admins only.
"""

import rules

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.networks.models import Network, Partnership
from conet.practices.models import GoodPractice, GuideChapter, Status

TEAM = (Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT)


def _network_id(obj) -> int | None:
    if isinstance(obj, Network):
        return obj.pk
    if isinstance(obj, GuideChapter):
        return obj.guide.network_id
    return getattr(obj, "network_id", None)


@rules.predicate
def is_network_team(user, obj) -> bool:
    network_id = _network_id(obj)
    return network_id is not None and roles_of(user).in_network(network_id, *TEAM)


@rules.predicate
def leads_network(user, obj) -> bool:
    network_id = _network_id(obj)
    return network_id is not None and roles_of(user).in_network(
        network_id, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT
    )


@rules.predicate
def coordinates_a_partner_city(user, network) -> bool:
    """A city coordinator whose city is a partner of the network: they may propose practices."""
    cities = {city for role, city in roles_of(user).city_roles if role == Role.CITY_COORDINATOR}
    return (
        isinstance(network, Network)
        and bool(cities)
        and Partnership.objects.filter(network=network, city_id__in=cities).exists()
    )


@rules.predicate
def coordinates_practices_city(user, practice) -> bool:
    return (
        isinstance(practice, GoodPractice)
        and practice.city_id is not None
        and roles_of(user).in_city(practice.city_id, Role.CITY_COORDINATOR)
    )


@rules.predicate
def is_draft(user, obj) -> bool:
    return getattr(obj, "status", None) == Status.DRAFT


@rules.predicate
def is_published(user, obj) -> bool:
    return getattr(obj, "status", None) == Status.PUBLISHED


edits_practice = is_platform_admin | is_network_team | (is_draft & coordinates_practices_city)
manages_guide = is_platform_admin | is_network_team

rules.add_perm("practices.propose_practice", manages_guide | coordinates_a_partner_city)
rules.add_perm("practices.view_practice", is_published | edits_practice)
rules.add_perm("practices.edit_practice", edits_practice)
rules.add_perm("practices.publish_practice", is_platform_admin | is_network_team)
rules.add_perm("practices.assess_label", is_platform_admin | is_network_team)
rules.add_perm("practices.manage_guide", manages_guide)  # interviews, approach texts, chapters
rules.add_perm("practices.view_interview", is_published | manages_guide)
rules.add_perm("practices.view_guide", is_published | manages_guide)
rules.add_perm("practices.publish_guide", is_platform_admin | leads_network)
