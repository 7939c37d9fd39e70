"""The role × action matrix of the plan services (the pages call the same services)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from conet.actionplans import services
from conet.actionplans.models import Action, LocalActionPlan, PeerReview, PlanComment
from tests.actionplans.conftest import fresh
from tests.conftest import ROLES
from tests.factories import ActionFactory

ALL = [*ROLES, "peer"]
Status = LocalActionPlan.Status


def _user(everyone, role):
    return fresh(everyone[role]) or AnonymousUser()


def _at(plan, status, **fields):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status=status, review_round=1, **fields)
    plan.refresh_from_db()
    return plan


EDIT_DRAFT = {"platform_admin", "city_coordinator"}
EDIT_DRAFT_WITH_MEMBERS = EDIT_DRAFT | {"lsg_member"}
COMMENT = {"platform_admin", "city_coordinator", "lsg_member"}
REVIEW = {"network_coordinator", "lead_expert", "peer"}
PROGRESS = {"platform_admin", "city_coordinator"}
VIEW_DRAFT = {
    "platform_admin", "city_coordinator", "lsg_member", "network_coordinator", "lead_expert",
    "expert",
}  # fmt: skip


@pytest.mark.parametrize("role", ALL)
def test_only_the_citys_coordinator_adds_actions_to_a_draft(role, everyone, plan):
    user = _user(everyone, role)
    if role in EDIT_DRAFT:
        services.add_action(plan, by=user, title="Street party")
        assert plan.actions.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.add_action(plan, by=user, title="Street party")
        assert not plan.actions.exists()


@pytest.mark.parametrize("role", ALL)
def test_lsg_members_co_edit_when_the_coordinator_allows(role, everyone, plan):
    plan = _at(plan, Status.CONSULTATION, members_may_edit=True)
    section = plan.sections.get(kind="evidence")
    user = _user(everyone, role)
    if role in EDIT_DRAFT_WITH_MEMBERS:
        services.update_section(section, by=user, expected_version=1, text="Survey 2025")
        section.refresh_from_db()
        assert section.text == "Survey 2025"
    else:
        with pytest.raises(PermissionDenied):
            services.update_section(section, by=user, expected_version=1, text="Survey 2025")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REVIEWED, Status.APPROVED])
def test_nobody_edits_the_content_of_a_plan_under_review_or_launched(status, people, plan):
    plan = _at(plan, status)
    for role in ("platform_admin", "city_coordinator"):
        with pytest.raises(PermissionDenied):
            services.add_action(plan, by=fresh(people[role]), title="Late idea")


@pytest.mark.parametrize("role", ALL)
def test_comments_come_from_the_city_during_the_consultation(role, everyone, plan):
    plan = _at(plan, Status.CONSULTATION)
    user = _user(everyone, role)
    if role in COMMENT:
        services.comment(plan, by=user, section="evidence", text="Add the 2024 survey")
        assert PlanComment.objects.get().section == "evidence"
    else:
        with pytest.raises(PermissionDenied):
            services.comment(plan, by=user, text="Hello")
        assert not PlanComment.objects.exists()


def test_no_comments_outside_the_consultation(people, plan):
    with pytest.raises(PermissionDenied):
        services.comment(plan, by=people["lsg_member"], text="Too early")


@pytest.mark.parametrize("role", ALL)
def test_submitted_plans_are_reviewed_by_the_lead_expert_coordinator_and_peers(
    role, everyone, plan
):
    plan = _at(plan, Status.SUBMITTED)
    user = _user(everyone, role)
    scores = {"coherence": 4, "feasibility": 3, "integrated_approach": 5}
    if role in REVIEW:
        review = services.review(plan, by=user, **scores, feasibility_comment="Budget is thin")
        assert (review.review_round, review.feasibility) == (1, 3)
    else:
        with pytest.raises(PermissionDenied):
            services.review(plan, by=user, **scores)
        assert not PeerReview.objects.exists()


def test_a_draft_cannot_be_reviewed(everyone, plan):
    with pytest.raises(PermissionDenied):
        services.review(
            plan, by=everyone["peer"], coherence=3, feasibility=3, integrated_approach=3
        )


def test_a_score_outside_1_to_5_names_the_field(everyone, plan):
    from django.core.exceptions import ValidationError

    plan = _at(plan, Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        services.review(
            plan, by=everyone["peer"], coherence=6, feasibility=3, integrated_approach=0
        )
    assert set(error.value.message_dict) == {"coherence", "integrated_approach"}


@pytest.mark.parametrize("role", ALL)
def test_progress_is_updated_by_the_city_during_implementation(role, everyone, plan):
    action = ActionFactory(plan=plan)
    plan = _at(plan, Status.IMPLEMENTATION)
    action.plan = plan
    user = _user(everyone, role)
    if role in PROGRESS:
        services.update_progress(action, by=user, expected_version=1, progress=40)
        assert Action.objects.get().progress == 40
    else:
        with pytest.raises(PermissionDenied):
            services.update_progress(action, by=user, expected_version=1, progress=40)
        assert Action.objects.get().progress == 0


@pytest.mark.parametrize("role", ALL)
def test_the_working_draft_is_seen_by_the_city_and_the_network(role, everyone, plan):
    assert _user(everyone, role).has_perm("actionplans.view_working_plan", plan) == (
        role in VIEW_DRAFT
    )


@pytest.mark.parametrize("role", ALL)
def test_peers_see_the_working_plan_only_while_it_is_under_review(role, everyone, plan):
    plan = _at(plan, Status.SUBMITTED)
    assert _user(everyone, role).has_perm("actionplans.view_working_plan", plan) == (
        role in VIEW_DRAFT | {"peer"}
    )
