"""Who may do what with meetings.

- Thematic meetings and site visits are the network's: its coordinator and lead expert create and
  edit them; the host city's coordinator co-edits.
- An LSG meeting is the city's: its city coordinator creates and edits it.
- Anyone signed in who can see a meeting registers themselves; visitors read public pages.
- Registrants' needs and attendance are seen and kept by who may edit the meeting.
"""

import rules

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin, is_signed_in

NETWORK_STAFF = (Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT)


@rules.predicate
def runs_network(user, network) -> bool:
    """`network` is a Network (creating) — the network's coordinator or lead expert."""
    return network is not None and roles_of(user).in_network(network.pk, *NETWORK_STAFF)


@rules.predicate
def coordinates_groups_city(user, group) -> bool:
    """`group` is a LocalSupportGroup (creating an LSG meeting)."""
    return group is not None and roles_of(user).in_city(
        group.partnership.city_id, Role.CITY_COORDINATOR
    )


@rules.predicate
def runs_meetings_network(user, meeting) -> bool:
    return (
        meeting is not None
        and meeting.kind != "lsg"
        and roles_of(user).in_network(meeting.network_id, *NETWORK_STAFF)
    )


@rules.predicate
def coordinates_host_city(user, meeting) -> bool:
    return (
        meeting is not None
        and meeting.host_city_id is not None
        and roles_of(user).in_city(meeting.host_city_id, Role.CITY_COORDINATOR)
    )


@rules.predicate
def meeting_is_public(user, meeting) -> bool:
    return meeting is not None and meeting.is_public


def partner_city_ids(meeting) -> set[int]:
    cached = getattr(meeting, "_partner_city_ids", None)
    if cached is None:
        cached = set(meeting.network.partnerships.values_list("city_id", flat=True))
        meeting._partner_city_ids = cached
    return cached


@rules.predicate
def takes_part_in_network(user, meeting) -> bool:
    """Anyone with a role in the meeting's network or in one of its cities (for an LSG meeting:
    in its city)."""
    if meeting is None:
        return False
    roles = roles_of(user)
    if meeting.kind == "lsg":
        return meeting.host_city_id in roles.city_ids or bool(
            roles.in_network(meeting.network_id, *NETWORK_STAFF, Role.EXPERT)
        )
    if meeting.network_id in roles.network_ids:
        return True
    return bool(roles.city_ids & partner_city_ids(meeting))


@rules.predicate
def registration_is_possible(user, meeting) -> bool:
    return (
        meeting is not None
        and meeting.registration_open
        and not meeting.is_cancelled
        and not meeting.is_past
    )


can_edit = is_platform_admin | runs_meetings_network | coordinates_host_city
can_view = meeting_is_public | is_platform_admin | can_edit | takes_part_in_network

rules.add_perm("meetings.add_network_meeting", is_platform_admin | runs_network)
rules.add_perm("meetings.add_group_meeting", is_platform_admin | coordinates_groups_city)
rules.add_perm("meetings.view_meeting", can_view)
rules.add_perm("meetings.change_meeting", can_edit)
rules.add_perm("meetings.manage_registrations", can_edit)
rules.add_perm("meetings.register", is_signed_in & can_view & registration_is_possible)
