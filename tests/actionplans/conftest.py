"""A plan for the shared `city` of the shared `network`, and a peer: the coordinator of another
partner city of the same network."""

import pytest

from conet.accounts.models import Role
from conet.networks.models import Partnership
from tests.factories import (
    CityFactory,
    LocalActionPlanFactory,
    MembershipFactory,
    PartnershipFactory,
    ProblemNodeFactory,
)

PLAN_ROLES = ["peer"]


@pytest.fixture
def partnership(network, city):
    return Partnership.objects.select_related("network", "city").get(network=network, city=city)


@pytest.fixture
def plan(partnership):
    from conet.actionplans.models import PlanSection

    plan = LocalActionPlanFactory(partnership=partnership)
    for kind in PlanSection.Kind.values:
        PlanSection.objects.create(plan=plan, kind=kind)
    return plan


@pytest.fixture
def core_problem(plan):
    return ProblemNodeFactory(plan=plan, kind="core", statement="Early school leaving")


@pytest.fixture
def peer(network):
    peer_city = CityFactory(slug="peer-city", name="Peer City")
    PartnershipFactory(network=network, city=peer_city)
    return MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=peer_city).user


@pytest.fixture
def everyone(people, peer):
    """`people` plus the peer."""
    return {**people, "peer": peer}


def fresh(user):
    """The same user without the roles cached on the object (as in a new request)."""
    if user is None:
        return None
    from conet.accounts.roles import forget_roles

    forget_roles(user)
    return user
