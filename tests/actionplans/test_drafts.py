"""Drafts autosave: what a person types into a section or action form is kept per person and per
form, put back when they return, discarded when they save, and never bumps past a concurrent edit."""

import pytest
from django.urls import reverse

from conet.actionplans import services
from conet.actionplans.models import Action, Draft, LocalActionPlan, PlanSection
from tests.actionplans.conftest import fresh
from tests.factories import (
    ALLOWED,
    ActionFactory,
    StakeholderFactory,
    assert_refused,
    outcome_table,
)

EDITORS = {"platform_admin", "city_coordinator"}


def _args(plan):
    return [plan.partnership.network.slug, plan.partnership.city.slug]


def _draft_url(plan, key):
    return reverse("actionplans:draft", args=[*_args(plan), key])


def _section_url(plan, kind="evidence"):
    return reverse("actionplans:section", args=[*_args(plan), kind])


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS).items())
def test_saving_a_draft_follows_the_role_matrix(role, outcome, people, plan, client_as):
    response = client_as(fresh(people[role])).post(
        _draft_url(plan, "section:evidence"), {"text": "Half a thought", "version": "1"}
    )
    if outcome == ALLOWED:
        assert response.status_code == 200
        assert response.json()["saved"] is True
        assert Draft.objects.get().data == {"text": ["Half a thought"]}
    else:
        assert_refused(response, outcome)
        assert not Draft.objects.exists()
    section = PlanSection.objects.get(plan=plan, kind="evidence")
    assert (section.text, section.version) == ("", 1)  # a draft never touches the section


def test_lsg_members_keep_drafts_only_where_the_coordinator_lets_them_co_edit(
    people, plan, client_as
):
    client = client_as(people["lsg_member"])
    url = _draft_url(plan, "section:evidence")
    assert client.post(url, {"text": "Mine", "version": "1"}).status_code == 403
    LocalActionPlan.objects.filter(pk=plan.pk).update(members_may_edit=True)
    assert client.post(url, {"text": "Mine", "version": "1"}).status_code == 200
    assert Draft.objects.get().user == people["lsg_member"]


def test_no_drafts_once_the_plan_is_submitted(people, plan, client_as):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="submitted")
    response = client_as(people["city_coordinator"]).post(
        _draft_url(plan, "section:evidence"), {"text": "Late", "version": "1"}
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()


@pytest.mark.parametrize("key", ["section:nonsense", "action:99", "plan:1", "section"])
def test_a_draft_for_an_unknown_form_is_refused_by_name(key, people, plan, client_as):
    response = client_as(people["city_coordinator"]).post(
        _draft_url(plan, key), {"text": "x", "version": "1"}
    )
    assert response.status_code == 422
    assert "key" in response.json()["errors"]
    assert not Draft.objects.exists()


def test_a_bad_version_or_an_overlong_draft_is_refused_by_name(people, plan, client_as):
    client = client_as(people["city_coordinator"])
    url = _draft_url(plan, "section:evidence")
    response = client.post(url, {"text": "x", "version": "first"})
    assert response.status_code == 422 and "version" in response.json()["errors"]
    response = client.post(url, {"text": "x" * (services.DRAFT_LIMIT + 1), "version": "1"})
    assert response.status_code == 422 and "data" in response.json()["errors"]
    assert not Draft.objects.exists()


def test_drafts_are_per_person_and_per_form(people, plan, client_as):
    LocalActionPlan.objects.filter(pk=plan.pk).update(members_may_edit=True)
    coordinator = client_as(people["city_coordinator"])
    coordinator.post(_draft_url(plan, "section:evidence"), {"text": "First", "version": "1"})
    coordinator.post(_draft_url(plan, "section:evidence"), {"text": "Second", "version": "1"})
    coordinator.post(_draft_url(plan, "section:context"), {"text": "Context", "version": "1"})
    assert Draft.objects.count() == 2
    assert Draft.objects.get(key="section:evidence").data == {"text": ["Second"]}
    # Another editor's page shows none of it.
    member = client_as(people["lsg_member"])
    html = member.get(_section_url(plan)).content.decode()
    assert "Second" not in html and "draft-notice" not in html


def test_the_draft_is_restored_on_return_and_discarded_on_save(people, plan, client_as):
    client = client_as(people["city_coordinator"])
    client.post(_draft_url(plan, "section:evidence"), {"text": "Typed, not saved", "version": "1"})
    response = client.get(_section_url(plan))
    html = response.content.decode()
    assert "Typed, not saved" in html and "draft-notice" in html
    assert response.context["form"].initial["version"] == 1
    assert 'data-autosave-url="' + _draft_url(plan, "section:evidence") in html

    assert client.post(_section_url(plan), {"text": "Saved now", "version": "1"}).status_code == 302
    assert not Draft.objects.exists()
    html = client.get(_section_url(plan)).content.decode()
    assert "draft-notice" not in html and "Saved now" in html


def test_a_draft_started_before_someone_elses_save_is_kept_but_cannot_overwrite_it(
    people, plan, client_as
):
    """The draft keeps its starting version: the later save meets the usual conflict check."""
    mine = client_as(people["city_coordinator"])
    mine.post(_draft_url(plan, "section:evidence"), {"text": "My draft", "version": "1"})
    section = PlanSection.objects.get(plan=plan, kind="evidence")
    services.update_section(
        section, by=people["platform_admin"], expected_version=1, text="Their saved text"
    )

    # Autosave goes on, keeps the draft and says the section moved on.
    answer = mine.post(_draft_url(plan, "section:evidence"), {"text": "My draft, longer",
                                                              "version": "1"}).json()  # fmt: skip
    assert answer["stale"] is True and "Someone else has saved" in answer["message"]
    assert Draft.objects.get().base_version == 1

    # Coming back: my draft is in the form, with a warning, still based on version 1.
    response = mine.get(_section_url(plan))
    html = response.content.decode()
    assert "My draft, longer" in html and "Someone else has saved this since your draft" in html
    assert response.context["form"].initial["version"] == 1

    # Saving it is refused and shows their change; the stored text and the draft stay.
    response = mine.post(_section_url(plan), {"text": "My draft, longer", "version": "1"})
    assert response.status_code == 422
    assert "Their saved text" in response.content.decode()
    section.refresh_from_db()
    assert (section.text, section.version) == ("Their saved text", 2)
    assert Draft.objects.filter(key="section:evidence").exists()


def test_an_action_draft_keeps_the_linked_partners_and_is_restored_into_the_form(
    people, plan, client_as
):
    action = ActionFactory(plan=plan, number=1, title="Homework club")
    group = StakeholderFactory(group__partnership=plan.partnership).group
    parish = StakeholderFactory(group=group, name="Parish")
    market = StakeholderFactory(group=group, name="Market")
    client = client_as(people["city_coordinator"])
    data = {"title": "Homework club, bigger", "partners": [parish.pk, market.pk], "version": "1"}
    assert client.post(_draft_url(plan, "action:1"), data).status_code == 200
    form = client.get(reverse("actionplans:action", args=[*_args(plan), 1])).context["form"]
    assert form.initial["title"] == "Homework club, bigger"
    assert sorted(map(int, form.initial["partners"])) == sorted([parish.pk, market.pk])

    edit = {"title": "Homework club, bigger", "status": "planned", "progress": "0", "version": "1",
            "partners": [parish.pk]}  # fmt: skip
    assert (
        client.post(reverse("actionplans:action", args=[*_args(plan), 1]), edit).status_code == 302
    )
    assert not Draft.objects.exists()
    action.refresh_from_db()
    assert action.title == "Homework club, bigger"


def test_a_new_action_draft_is_discarded_when_the_action_is_added(people, plan, client_as):
    client = client_as(people["city_coordinator"])
    client.post(_draft_url(plan, "action:new"), {"title": "Street library"})
    add = reverse("actionplans:action_add", args=_args(plan))
    assert client.get(add).context["form"].initial["title"] == "Street library"
    client.post(add, {"title": "Street library", "status": "planned", "progress": "0"})
    assert Action.objects.filter(title="Street library").exists()
    assert not Draft.objects.exists()


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS).items())
def test_discarding_a_draft_follows_the_role_matrix(role, outcome, people, plan, client_as):
    user = people["city_coordinator"]
    services.save_draft(plan, by=user, key="section:evidence", data={"text": ["x"]}, base_version=1)
    url = reverse("actionplans:draft_discard", args=[*_args(plan), "section:evidence"])
    response = client_as(fresh(people[role])).post(url)
    if outcome == ALLOWED:
        assert response.status_code == 302
        # Only one's own draft goes: the coordinator's stays unless it is the coordinator.
        assert Draft.objects.exists() == (role != "city_coordinator")
    else:
        assert_refused(response, outcome)
        assert Draft.objects.exists()
