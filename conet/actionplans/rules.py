"""Who may do what with a Local Action Plan, and in which state of the workflow.

The city's coordinator writes the plan; the Local Support Group's members comment during the
consultation and co-edit drafts where the coordinator allows; the lead expert, the network's
coordinator and the coordinators of the other partner cities review submitted plans; everyone else
sees only launched versions. Reviews are a person's judgement, so platform admins do not review.
"""

import rules

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.actionplans.models import LocalActionPlan
from conet.networks.models import Network, Partnership

Status = LocalActionPlan.Status


def _partnership(obj) -> Partnership | None:
    if isinstance(obj, LocalActionPlan):
        return obj.partnership
    if isinstance(obj, Partnership):
        return obj
    return None


@rules.predicate
def coordinates_plans_city(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_city(
        partnership.city_id, Role.CITY_COORDINATOR
    )


@rules.predicate
def is_lsg_member_of_plans_city(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_city(partnership.city_id, Role.LSG_MEMBER)


@rules.predicate
def leads_plans_network(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_network(
        partnership.network_id, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT
    )


@rules.predicate
def works_in_plans_network(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and roles_of(user).in_network(
        partnership.network_id, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT
    )


@rules.predicate
def coordinates_a_peer_city(user, obj) -> bool:
    """The coordinator of another partner city of the same network."""
    partnership = _partnership(obj)
    if partnership is None:
        return False
    cities = {city for role, city in roles_of(user).city_roles if role == Role.CITY_COORDINATOR} - {
        partnership.city_id
    }
    return (
        bool(cities)
        and Partnership.objects.filter(
            network_id=partnership.network_id, city_id__in=cities
        ).exists()
    )


@rules.predicate
def plan_is_editable(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.is_editable


@rules.predicate
def plan_in_consultation(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.status == Status.CONSULTATION


@rules.predicate
def plan_under_review(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.status in (Status.SUBMITTED, Status.REVIEWED)


@rules.predicate
def plan_submitted(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.status == Status.SUBMITTED


@rules.predicate
def plan_launched(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.status in (
        Status.APPROVED,
        Status.IMPLEMENTATION,
    )


@rules.predicate
def members_may_edit(user, plan) -> bool:
    return isinstance(plan, LocalActionPlan) and plan.members_may_edit


@rules.predicate
def leads_network(user, network) -> bool:
    return isinstance(network, Network) and roles_of(user).in_network(
        network.pk, Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT
    )


runs_plan = is_platform_admin | coordinates_plans_city

rules.add_perm(
    "actionplans.view_working_plan",
    runs_plan
    | is_lsg_member_of_plans_city
    | works_in_plans_network
    | (plan_under_review & coordinates_a_peer_city),
)
rules.add_perm("actionplans.create_plan", runs_plan | leads_plans_network)
rules.add_perm("actionplans.manage_plan", runs_plan)
rules.add_perm(
    "actionplans.edit_content",
    plan_is_editable & (runs_plan | (members_may_edit & is_lsg_member_of_plans_city)),
)
rules.add_perm(
    "actionplans.comment",
    plan_in_consultation & (runs_plan | is_lsg_member_of_plans_city),
)
rules.add_perm(
    "actionplans.review",
    plan_submitted & (leads_plans_network | coordinates_a_peer_city),
)
rules.add_perm("actionplans.steer_review", is_platform_admin | leads_plans_network)
rules.add_perm("actionplans.update_progress", plan_launched & runs_plan)
rules.add_perm("actionplans.view_overview", is_platform_admin | leads_network)
