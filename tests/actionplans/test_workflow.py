"""The workflow draft → consultation → submitted → reviewed → approved → implementation:
every step for every role, every step refused from every state it does not leave from."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from conet.actionplans import services
from conet.actionplans.models import LocalActionPlan, PlanVersion
from conet.actionplans.services import TRANSITIONS
from conet.core.models import ActivityEvent
from tests.actionplans.conftest import fresh
from tests.conftest import ROLES
from tests.factories import ActionFactory, PeerReviewFactory, ProblemNodeFactory

Status = LocalActionPlan.Status
CITY = {"platform_admin", "city_coordinator"}
NETWORK = {"platform_admin", "network_coordinator", "lead_expert"}
WHO = {
    "open_consultation": CITY,
    "close_consultation": CITY,
    "submit": CITY,
    "close_review": NETWORK,
    "return_for_changes": NETWORK,
    "approve": CITY,
    "start_implementation": CITY,
    "revise": CITY,
}
EXPECTED_TARGET = {
    "open_consultation": Status.CONSULTATION,
    "close_consultation": Status.DRAFT,
    "submit": Status.SUBMITTED,
    "close_review": Status.REVIEWED,
    "return_for_changes": Status.DRAFT,
    "approve": Status.APPROVED,
    "start_implementation": Status.IMPLEMENTATION,
    "revise": Status.DRAFT,
}


def ready(plan, status: str) -> LocalActionPlan:
    """Put the plan in `status` with what every step from there needs (a core problem, an action,
    a review of the present round)."""
    if not plan.problem_nodes.exists():
        ProblemNodeFactory(plan=plan, kind="core")
    if not plan.actions.exists():
        ActionFactory(plan=plan)
    LocalActionPlan.objects.filter(pk=plan.pk).update(status=status, review_round=1)
    if not plan.reviews.exists():
        PeerReviewFactory(plan=plan, review_round=1)
    return LocalActionPlan.objects.select_related("partnership__network", "partnership__city").get(
        pk=plan.pk
    )


def test_every_step_reaches_the_state_the_issue_names():
    assert {name: target for name, (_s, target, _p) in TRANSITIONS.items()} == EXPECTED_TARGET


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("role", [*ROLES, "peer"])
def test_each_step_is_taken_only_by_the_roles_allowed(name, role, everyone, plan):
    plan = ready(plan, TRANSITIONS[name][0][0])
    user = fresh(everyone[role]) or AnonymousUser()
    before = plan.status
    if role in WHO[name]:
        moved = services.transition(plan, name, by=user)
        assert moved.status == EXPECTED_TARGET[name]
        assert moved.version == plan.version + 1
    else:
        with pytest.raises(PermissionDenied):
            services.transition(plan, name, by=user)
        plan.refresh_from_db()
        assert plan.status == before


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (name, status)
        for name, (sources, _target, _perm) in TRANSITIONS.items()
        for status in Status.values
        if status not in sources
    ],
)
def test_a_step_is_refused_from_a_state_it_does_not_leave(name, status, people, plan):
    plan = ready(plan, status)
    with pytest.raises(ValidationError, match="cannot take this step"):
        services.transition(plan, name, by=people["platform_admin"])
    plan.refresh_from_db()
    assert plan.status == status
    assert not PlanVersion.objects.exists()


def test_submitting_needs_a_core_problem(people, plan):
    ActionFactory(plan=plan)
    with pytest.raises(ValidationError, match="core problem"):
        services.transition(plan, "submit", by=people["city_coordinator"])
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_submitting_needs_an_action(people, plan, core_problem):
    with pytest.raises(ValidationError, match="at least one action"):
        services.transition(plan, "submit", by=people["city_coordinator"])


def test_closing_the_review_needs_a_review_of_this_round(people, plan, core_problem):
    ActionFactory(plan=plan)
    plan = services.transition(plan, "submit", by=people["city_coordinator"])
    PeerReviewFactory(plan=plan, review_round=0)  # an old round does not count
    with pytest.raises(ValidationError, match="No review"):
        services.transition(plan, "close_review", by=people["lead_expert"])


def test_an_unknown_step_is_refused(people, plan):
    with pytest.raises(ValidationError, match="Unknown step"):
        services.transition(plan, "publish", by=people["platform_admin"])


def test_the_whole_way_freezes_1_0_then_a_revision_freezes_1_1(people, plan, core_problem, peer):
    coordinator, lead = people["city_coordinator"], people["lead_expert"]
    ActionFactory(plan=plan, title="Open the school yard")
    plan = services.transition(plan, "open_consultation", by=coordinator)
    plan = services.transition(plan, "submit", by=coordinator)
    assert plan.review_round == 1
    services.review(plan, by=peer, coherence=4, feasibility=3, integrated_approach=5)
    plan = services.transition(plan, "close_review", by=lead)
    plan = services.transition(plan, "approve", by=coordinator)
    first = plan.versions.get()
    assert first.label == "1.0"
    assert [a["title"] for a in first.snapshot["actions"]] == ["Open the school yard"]
    plan = services.transition(plan, "start_implementation", by=coordinator)
    plan = services.transition(plan, "revise", by=coordinator)
    services.add_action(plan, by=coordinator, title="Night library")
    plan = services.transition(plan, "submit", by=coordinator)
    assert plan.review_round == 2
    services.review(plan, by=lead, coherence=5, feasibility=4, integrated_approach=4)
    plan = services.transition(plan, "close_review", by=lead)
    plan = services.transition(plan, "approve", by=coordinator)
    labels = list(plan.versions.order_by("major", "minor").values_list("major", "minor"))
    assert labels == [(1, 0), (1, 1)]
    first.refresh_from_db()
    assert [a["title"] for a in first.snapshot["actions"]] == ["Open the school yard"]
    assert ActivityEvent.objects.filter(kind="plan.launched").count() == 2


def test_transitions_for_lists_only_the_steps_the_person_may_take(people, plan):
    assert services.transitions_for(people["city_coordinator"], plan) == [
        "open_consultation",
        "submit",
    ]
    assert services.transitions_for(people["lead_expert"], plan) == []
