"""Stakeholders are edited and removed on the Local Support Group page: versioned, a change from
an older version is refused, contact details only with consent, and only the city's coordinator
(and platform admins) may do it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conet.localgroups import services
from conet.localgroups.models import Stakeholder
from conet.localgroups.services import group_of
from conet.networks.models import Partnership
from tests.actionplans.conftest import fresh
from tests.factories import (
    ALLOWED,
    ActionFactory,
    LocalActionPlanFactory,
    StakeholderFactory,
    assert_refused,
    outcome_table,
)

CHANGE = outcome_table({"platform_admin", "city_coordinator"})
DATA = {"name": "Parish of Ballarò", "organisation": "Diocese", "sector": "civic",
        "kind": "primary", "power": "4", "interest": "5", "version": "1"}  # fmt: skip


@pytest.fixture
def group(network, city):
    return group_of(Partnership.objects.get(network=network, city=city))


@pytest.fixture
def parish(group):
    return StakeholderFactory(group=group, name="Parish", power=2, interest=3)


def _url(name, stakeholder):
    return reverse(f"localgroups:{name}", args=["testnet", "partner-city", stakeholder.pk])


def _state():
    return list(Stakeholder.objects.values_list("name", "power", "email", "version"))


@pytest.mark.parametrize(("role", "outcome"), CHANGE.items())
def test_editing_a_stakeholder_follows_the_role_matrix(role, outcome, people, parish, client_as):
    before = _state()
    response = client_as(fresh(people[role])).post(_url("stakeholder", parish), DATA)
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content.decode()[-1500:]
        parish.refresh_from_db()
        assert (parish.name, parish.power, parish.version) == ("Parish of Ballarò", 4, 2)
    else:
        assert_refused(response, outcome)
        assert _state() == before


@pytest.mark.parametrize(("role", "outcome"), CHANGE.items())
def test_removing_a_stakeholder_follows_the_role_matrix(role, outcome, people, parish, client_as):
    response = client_as(fresh(people[role])).post(
        _url("stakeholder_remove", parish), {"version": "1"}
    )
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not Stakeholder.objects.exists()
    else:
        assert_refused(response, outcome)
        assert Stakeholder.objects.filter(pk=parish.pk).exists()


def test_the_group_page_offers_edit_and_remove_to_the_coordinator_only(
    people, group, parish, client_as
):
    page = reverse("localgroups:group", args=["testnet", "partner-city"])
    html = client_as(people["city_coordinator"]).get(page).content.decode()
    assert _url("stakeholder", parish) in html and _url("stakeholder_remove", parish) in html
    html = client_as(people["lead_expert"]).get(page).content.decode()
    assert "Parish" in html and _url("stakeholder", parish) not in html


def test_the_second_save_from_the_same_version_is_refused_and_shows_the_first(
    people, parish, client_as
):
    client = client_as(people["city_coordinator"])
    assert client.post(_url("stakeholder", parish), DATA).status_code == 302
    response = client.post(_url("stakeholder", parish), {**DATA, "name": "Mine", "power": "1"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Someone else saved this" in html and "Parish of Ballarò" in html
    assert _state() == [("Parish of Ballarò", 4, "", 2)]


def test_removing_from_an_older_version_is_refused_and_keeps_the_stakeholder(
    people, parish, client_as
):
    client = client_as(people["city_coordinator"])
    assert client.post(_url("stakeholder", parish), DATA).status_code == 302  # now version 2
    response = client.post(_url("stakeholder_remove", parish), {"version": "1"}, follow=True)
    assert "changed by someone else meanwhile" in response.content.decode()
    assert Stakeholder.objects.filter(pk=parish.pk, name="Parish of Ballarò").exists()


def test_bad_input_names_the_field_and_changes_nothing(people, group, parish, client_as):
    StakeholderFactory(group=group, name="Market")
    before = _state()
    response = client_as(people["city_coordinator"]).post(
        _url("stakeholder", parish), {**DATA, "name": "Market", "power": "9"}
    )
    assert response.status_code == 422
    assert "power" in response.context["form"].errors
    response = client_as(people["city_coordinator"]).post(
        _url("stakeholder", parish), {**DATA, "name": "Market"}
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert _state() == before


def test_contact_details_need_consent_and_unticking_it_erases_them(people, parish, client_as):
    client = client_as(people["city_coordinator"])
    with_contact = {**DATA, "email": "parish@example.org", "phone": "+39 091 000"}
    # Ticked: kept, and the consent is recorded now.
    assert (
        client.post(_url("stakeholder", parish), {**with_contact, "consent": "on"}).status_code
        == 302
    )
    parish.refresh_from_db()
    assert parish.email == "parish@example.org" and parish.consent_given_at is not None
    # Unticked: consent withdrawn, and the contact details go in the same save.
    assert (
        client.post(_url("stakeholder", parish), {**with_contact, "version": "2"}).status_code
        == 302
    )
    parish.refresh_from_db()
    assert (parish.email, parish.phone, parish.consent_given_at) == ("", "", None)


def test_removing_a_stakeholder_takes_it_off_the_actions_it_partnered(people, group, parish):
    plan = LocalActionPlanFactory(partnership=group.partnership)
    action = ActionFactory(plan=plan)
    action.partners.add(parish)
    services.remove_stakeholder(parish, by=people["city_coordinator"], expected_version=1)
    assert list(action.partners.all()) == []


def test_an_earlier_consent_is_kept_when_the_box_stays_ticked(people, parish):
    when = timezone.now() - datetime.timedelta(days=30)
    Stakeholder.objects.filter(pk=parish.pk).update(consent_given_at=when)
    parish.refresh_from_db()
    services.update_stakeholder(
        parish,
        by=people["city_coordinator"],
        expected_version=1,
        changes={"email": "new@example.org"},
        consent=True,
    )
    parish.refresh_from_db()
    assert parish.consent_given_at == when and parish.email == "new@example.org"


def test_removing_asks_first_and_the_answer_carries_the_version_shown(people, parish, client):
    from django.test import Client

    coordinator = Client()
    coordinator.force_login(people["city_coordinator"])
    page = coordinator.get(_url("stakeholder_remove", parish))
    html = page.content.decode()
    assert page.status_code == 200 and "Remove Parish from the group?" in html
    assert 'name="version" value="1"' in html
    assert Stakeholder.objects.filter(pk=parish.pk).exists()  # asking removes nothing
    assert coordinator.post(_url("stakeholder_remove", parish), {"version": "1"}).status_code == 302
    assert not Stakeholder.objects.filter(pk=parish.pk).exists()


@pytest.mark.parametrize(("role", "outcome"), CHANGE.items())
def test_the_question_is_for_who_may_remove(role, outcome, people, parish, client_as):
    response = client_as(fresh(people[role])).get(_url("stakeholder_remove", parish))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)
