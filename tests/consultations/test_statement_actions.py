"""A statement and the plan action it led to: who may record it, and bad input refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conet.actionplans.models import LocalActionPlan
from conet.consultations import services
from tests.factories import (
    ActionFactory,
    CityFactory,
    ConsultationFactory,
    LocalActionPlanFactory,
    PartnershipFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

# Who may link a statement to an action of the city's plan (draft, members may co-edit).
ALLOWED = {"platform_admin", "city_coordinator", "lsg_member"}
ROLES = [
    "visitor", "signed_in", "platform_admin", "network_coordinator", "lead_expert", "expert",
    "city_coordinator", "lsg_member", "other_network_coordinator", "other_city_coordinator",
]  # fmt: skip


@pytest.fixture
def setting(network, city):
    plan = LocalActionPlanFactory(
        partnership=city.partnerships.get(network=network), members_may_edit=True
    )
    consultation = ConsultationFactory(city=city, network=network, slug="ask")
    return {
        "statement": StatementFactory(consultation=consultation, text="Streets too dark"),
        "action": ActionFactory(plan=plan, number=1, title="Light the streets"),
    }


def _post(client, statement, action):
    return client.post(
        reverse("consultations:link_statement", args=["ask"]),
        {"statement": statement.pk, "action": action.pk},
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_may_link_a_statement_to_an_action(client_as, people, setting, role):
    statement, action = setting["statement"], setting["action"]
    response = _post(client_as(people[role]), statement, action)
    linked = statement.actions.filter(pk=action.pk).exists()
    if role in ALLOWED:
        assert response.status_code == 302 and linked
    else:
        assert response.status_code in (302, 403, 422) and not linked
        if people[role] is None:
            assert "/accounts/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_service_checks_the_same_roles(people, setting, role):
    statement, action = setting["statement"], setting["action"]
    if people[role] is None:
        return  # the service is only reached signed in (the view asks to sign in first)
    if role in ALLOWED:
        services.link_statement_to_action(statement, action, by=people[role])
        assert statement.actions.filter(pk=action.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.link_statement_to_action(statement, action, by=people[role])
        assert not statement.actions.exists()


def test_an_lsg_member_may_not_link_once_the_plan_is_launched(people, setting):
    LocalActionPlan.objects.update(status=LocalActionPlan.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        services.link_statement_to_action(
            setting["statement"], setting["action"], by=people["lsg_member"]
        )
    # The city's coordinator still records it: which statement an action answers is history.
    services.link_statement_to_action(
        setting["statement"], setting["action"], by=people["city_coordinator"]
    )


def test_an_action_of_another_citys_plan_is_refused_and_nothing_changes(client_as, people, setting):
    other_city = CityFactory(slug="elsewhere", name="Elsewhere")
    other_plan = LocalActionPlanFactory(partnership=PartnershipFactory(city=other_city))
    foreign = ActionFactory(plan=other_plan, number=1)
    admin = people["platform_admin"]
    with pytest.raises(ValidationError) as refused:
        services.link_statement_to_action(setting["statement"], foreign, by=admin)
    assert "Partner City" in str(refused.value)
    response = _post(client_as(admin), setting["statement"], foreign)
    assert response.status_code == 422
    assert "Choose an action of the Local Action Plan of Partner City." in response.content.decode()
    assert not setting["statement"].actions.exists()


def test_an_unknown_action_is_refused_with_a_message(client_as, people, setting):
    response = client_as(people["city_coordinator"]).post(
        reverse("consultations:link_statement", args=["ask"]),
        {"statement": setting["statement"].pk, "action": 999999},
    )
    assert response.status_code == 422
    assert "Choose an action of the Local Action Plan" in response.content.decode()
    assert not setting["statement"].actions.exists()


def test_a_link_is_shown_on_the_results_page_and_can_be_removed(client_as, people, setting):
    client = client_as(people["city_coordinator"])
    statement, action = setting["statement"], setting["action"]
    assert _post(client, statement, action).status_code == 302
    results = client.get(reverse("consultations:results", args=["ask"])).content.decode()
    assert (
        f"#statement-{statement.number}" in results
        or f'id="statement-{statement.number}"' in results
    )
    assert action.get_absolute_url() in results
    removed = client.post(
        reverse("consultations:unlink_statement", args=["ask"]),
        {"statement": statement.pk, "action": action.pk},
    )
    assert removed.status_code == 302 and not statement.actions.exists()
    refused = client_as(people["lsg_member"])
    statement.actions.add(action)
    LocalActionPlan.objects.update(status=LocalActionPlan.Status.APPROVED)
    response = refused.post(
        reverse("consultations:unlink_statement", args=["ask"]),
        {"statement": statement.pk, "action": action.pk},
    )
    assert response.status_code == 403 and statement.actions.exists()
