"""Who may do what with consultations.

City coordinators of the consultation's city, network coordinators of a network the city is a partner
in, and platform admins create and moderate; anyone takes part while the consultation is open.
"""

import rules

from conet.accounts.rules import is_platform_admin
from conet.consultations.models import Consultation
from conet.networks.models import City
from conet.networks.rules import coordinates_a_network_of_city, coordinates_city


def _city(obj) -> City | None:
    if isinstance(obj, City):
        return obj
    if isinstance(obj, Consultation):
        return obj.city
    return None


@rules.predicate
def coordinates_the_city(user, obj) -> bool:
    return coordinates_city(user, _city(obj))


@rules.predicate
def coordinates_a_network_of_the_city(user, obj) -> bool:
    return coordinates_a_network_of_city(user, _city(obj))


@rules.predicate
def is_open(user, consultation) -> bool:
    return isinstance(consultation, Consultation) and consultation.is_open


@rules.predicate
def lets_participants_add(user, consultation) -> bool:
    return isinstance(consultation, Consultation) and consultation.participants_may_add


runs_consultations = is_platform_admin | coordinates_the_city | coordinates_a_network_of_the_city

rules.add_perm("consultations.add_consultation", runs_consultations)  # object: the city
rules.add_perm("consultations.change_consultation", runs_consultations)
rules.add_perm("consultations.moderate", runs_consultations)
rules.add_perm("consultations.export", runs_consultations)
rules.add_perm("consultations.vote", is_open)
rules.add_perm(
    "consultations.add_statement", is_open & (lets_participants_add | runs_consultations)
)


@rules.predicate
def may_edit_plan(user, plan) -> bool:
    """Whoever may change the plan's contents or run it links a statement to one of its actions:
    which statement an action answers is part of the plan's record."""
    return user.has_perm("actionplans.manage_plan", plan) or user.has_perm(
        "actionplans.edit_content", plan
    )


rules.add_perm("consultations.link_statement_to_action", may_edit_plan)  # object: the plan
