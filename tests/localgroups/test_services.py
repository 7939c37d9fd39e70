"""Local Support Groups: who may change them, and contact details kept only with consent."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from conet.accounts.roles import forget_roles
from conet.localgroups import services
from conet.localgroups.models import Stakeholder
from conet.localgroups.selectors import power_interest_grid
from conet.networks.models import Partnership
from tests.conftest import ROLES
from tests.factories import StakeholderFactory

CHANGE_GROUP = {"platform_admin", "city_coordinator"}


@pytest.fixture
def group(network, city):
    return services.group_of(Partnership.objects.get(network=network, city=city))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_citys_coordinator_adds_stakeholders(role, people, group):
    user = people[role] or AnonymousUser()
    if user.is_authenticated:
        forget_roles(user)
    if role in CHANGE_GROUP:
        services.add_stakeholder(
            group, by=user, name="Parish of Ballarò", sector="civic", kind="primary"
        )
        assert group.stakeholders.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.add_stakeholder(group, by=user, name="X", sector="civic", kind="primary")
        assert not group.stakeholders.exists()


def test_contact_details_without_consent_are_refused_naming_the_field(people, group):
    with pytest.raises(ValidationError) as refused:
        services.add_stakeholder(
            group, by=people["city_coordinator"], name="Shop owners", sector="private",
            kind="secondary", email="shops@example.org",
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["email"]
    assert not Stakeholder.objects.exists()


def test_the_database_refuses_contacts_without_consent_too(group):
    with pytest.raises(IntegrityError):
        Stakeholder.objects.create(
            group=group, name="X", sector="civic", kind="primary", phone="+39 091 000"
        )


def test_withdrawing_consent_erases_the_contact_details(people, group):
    coordinator = people["city_coordinator"]
    stakeholder = services.add_stakeholder(
        group, by=coordinator, name="School", sector="public", kind="primary", consent=True,
        email="school@example.org", phone="+39 091 1",
    )  # fmt: skip
    assert stakeholder.consent_given_at is not None
    stakeholder = services.withdraw_consent(stakeholder, by=coordinator)
    assert (stakeholder.email, stakeholder.phone, stakeholder.consent_given_at) == ("", "", None)


@pytest.mark.parametrize(("field", "value"), [("power", 0), ("interest", 6), ("sector", "media")])
def test_bad_values_name_the_field(people, group, field, value):
    fields = {"name": "X", "sector": "civic", "kind": "primary", field: value}
    with pytest.raises(ValidationError) as refused:
        services.add_stakeholder(group, by=people["city_coordinator"], **fields)
    assert list(refused.value.message_dict) == [field]


def test_a_second_stakeholder_of_the_same_name_is_refused(people, group):
    services.add_stakeholder(
        group, by=people["city_coordinator"], name="A", sector="civic", kind="primary"
    )
    with pytest.raises(ValidationError) as refused:
        services.add_stakeholder(
            group, by=people["city_coordinator"], name="A", sector="civic", kind="blocker"
        )
    assert list(refused.value.message_dict) == ["name"]


def test_power_interest_grid_puts_high_power_on_top(group):
    strong = StakeholderFactory(group=group, power=5, interest=1)
    keen = StakeholderFactory(group=group, power=1, interest=5)
    grid = power_interest_grid([strong, keen])
    assert grid[0][0] == [strong]
    assert grid[4][4] == [keen]
