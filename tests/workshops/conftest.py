import pytest

from conet.accounts.models import Role
from tests.factories import MembershipFactory
from tests.workshops.factories import TableFactory, WorkshopFactory


@pytest.fixture
def workshop(city, network, people):
    """A workshop of the shared city in the shared network, created by its coordinator."""
    workshop = WorkshopFactory(city=city, network=None, created_by=people["city_coordinator"])
    workshop.facilitators.add(people["city_coordinator"])
    return workshop


@pytest.fixture
def tables(workshop):
    return [TableFactory(workshop=workshop, name=f"Table {n}") for n in (1, 2)]


@pytest.fixture
def facilitator(workshop, people):
    return people["city_coordinator"]


@pytest.fixture
def named_facilitator(workshop, city):
    """A user with no role who was named facilitator of this one workshop."""
    user = MembershipFactory(role=Role.LSG_MEMBER, network=None, city=city).user
    workshop.facilitators.add(user)
    return user
