"""Who may do what in the city-to-city support scheme.

- A partner city's coordinator posts and edits the city's requests; everyone signed in reads them
  (other cities and experts must find them).
- Experts write their own profile; the staff of a network (coordinator, lead expert) and platform
  admins may create a profile for someone.
- The requesting network's coordinator and lead expert invite experts and plan visits.
- Only the invited expert accepts or declines.
- Each side files its own report: the receiving city's coordinator, and an expert who travelled.
  Reports are a person's judgement, so platform admins do not file them.
"""

import rules

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin, is_signed_in
from conet.exchange.models import (
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    Visit,
    VisitReport,
)
from conet.networks.models import Partnership

NETWORK_STAFF = (Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT)
OPEN_STATES = (SupportRequest.Status.OPEN, SupportRequest.Status.MATCHED)


def _request(obj) -> SupportRequest | None:
    if isinstance(obj, SupportRequest):
        return obj
    if isinstance(obj, ExpertInvitation | Visit):
        return obj.request
    if isinstance(obj, VisitReport):
        return obj.visit.request
    return None


@rules.predicate
def coordinates_partnerships_city(user, partnership) -> bool:
    """`partnership` (posting a request): the coordinator of that partner city."""
    return isinstance(partnership, Partnership) and roles_of(user).in_city(
        partnership.city_id, Role.CITY_COORDINATOR
    )


@rules.predicate
def coordinates_requesting_city(user, obj) -> bool:
    request = _request(obj)
    return request is not None and roles_of(user).in_city(
        request.partnership.city_id, Role.CITY_COORDINATOR
    )


@rules.predicate
def runs_requests_network(user, obj) -> bool:
    request = _request(obj)
    return request is not None and roles_of(user).in_network(
        request.partnership.network_id, *NETWORK_STAFF
    )


@rules.predicate
def is_network_staff_somewhere(user) -> bool:
    return any(role in NETWORK_STAFF for role, _network in roles_of(user).network_roles)


@rules.predicate
def owns_profile(user, profile) -> bool:
    return (
        isinstance(profile, ExpertProfile) and user.is_authenticated and profile.user_id == user.pk
    )


@rules.predicate
def is_invited_expert(user, invitation) -> bool:
    return (
        isinstance(invitation, ExpertInvitation)
        and user.is_authenticated
        and invitation.expert.user_id == user.pk
    )


@rules.predicate
def request_is_open(user, obj) -> bool:
    request = _request(obj)
    return request is not None and request.status in OPEN_STATES


@rules.predicate
def request_has_accepted_expert(user, request) -> bool:
    return (
        isinstance(request, SupportRequest)
        and request.status != SupportRequest.Status.CLOSED
        and request.invitations.filter(status=ExpertInvitation.Status.ACCEPTED).exists()
    )


@rules.predicate
def travelled_on_visit(user, visit) -> bool:
    return (
        isinstance(visit, Visit)
        and user.is_authenticated
        and visit.experts.filter(user_id=user.pk).exists()
    )


@rules.predicate
def hosts_visit(user, visit) -> bool:
    return isinstance(visit, Visit) and coordinates_requesting_city(user, visit)


@rules.predicate
def visit_not_cancelled(user, visit) -> bool:
    return isinstance(visit, Visit) and visit.status != Visit.Status.CANCELLED


runs_request = is_platform_admin | runs_requests_network

rules.add_perm("exchange.view_requests", is_signed_in)
rules.add_perm("exchange.post_request", is_platform_admin | coordinates_partnerships_city)
rules.add_perm(
    "exchange.change_request",
    request_is_open & (is_platform_admin | coordinates_requesting_city),
)
rules.add_perm("exchange.close_request", is_platform_admin | coordinates_requesting_city)
rules.add_perm("exchange.see_matches", runs_request | coordinates_requesting_city)
rules.add_perm("exchange.invite", request_is_open & runs_request)
rules.add_perm("exchange.answer_invitation", is_invited_expert)
rules.add_perm("exchange.plan_visit", request_has_accepted_expert & runs_request)
rules.add_perm(
    "exchange.change_visit", visit_not_cancelled & (runs_request | coordinates_requesting_city)
)
rules.add_perm("exchange.file_host_report", visit_not_cancelled & hosts_visit)
rules.add_perm("exchange.file_expert_report", visit_not_cancelled & travelled_on_visit)
rules.add_perm("exchange.view_profiles", is_signed_in)
rules.add_perm("exchange.create_profile", is_platform_admin | is_network_staff_somewhere)
rules.add_perm("exchange.change_profile", is_platform_admin | owns_profile)
