"""Every write page of the plan, for every role: allowed roles change the plan, the others are
refused (403, or the login page for a visitor) and nothing changes."""

import pytest
from django.urls import reverse

from conet.actionplans.models import (
    Action,
    LocalActionPlan,
    Objective,
    PeerReview,
    PlanComment,
    PlanSection,
    ProblemNode,
)
from tests.actionplans.conftest import fresh
from tests.factories import ALLOWED, SIGN_IN, ActionFactory, ProblemNodeFactory, outcome_table

CITY = {"platform_admin", "city_coordinator"}
REVIEWERS = {"network_coordinator", "lead_expert"}


def _args(plan):
    return [plan.partnership.network.slug, plan.partnership.city.slug]


def _state(plan):
    plan.refresh_from_db()
    return (
        plan.status,
        plan.version,
        list(plan.sections.values_list("text", "version")),
        list(ProblemNode.objects.values_list("statement", "version")),
        list(Objective.objects.values_list("title")),
        list(Action.objects.values_list("title", "progress", "version")),
        PlanComment.objects.count(),
        PeerReview.objects.count(),
    )


def _setup(plan, status="draft"):
    core = ProblemNodeFactory(plan=plan, statement="Core")
    ActionFactory(plan=plan, number=1, title="First action")
    LocalActionPlan.objects.filter(pk=plan.pk).update(status=status, review_round=1)
    plan.refresh_from_db()
    return core


CASES = {
    "section": (
        "draft", CITY, lambda plan, core: ("section", ["evidence"]),
        {"text": "New evidence", "version": "1"},
        lambda plan: plan.sections.get(kind="evidence").text == "New evidence",
    ),
    "node_add": (
        "draft", CITY, lambda plan, core: ("node_add", []),
        lambda core: {"kind": "cause", "parent": core.pk, "statement": "Few teachers"},
        lambda plan: plan.problem_nodes.filter(statement="Few teachers").exists(),
    ),
    "node_edit": (
        "draft", CITY, lambda plan, core: ("node", [core.pk]),
        {"statement": "Core, sharper", "objective": "Solved", "version": "1"},
        lambda plan: plan.problem_nodes.get(kind="core").objective == "Solved",
    ),
    "objective_add": (
        "draft", CITY, lambda plan, core: ("objective_add", []),
        {"title": "Fewer drop-outs", "description": "", "problem_node": ""},
        lambda plan: plan.objectives.filter(title="Fewer drop-outs").exists(),
    ),
    "action_add": (
        "draft", CITY, lambda plan, core: ("action_add", []),
        {"title": "Second action", "status": "planned", "progress": "0"},
        lambda plan: plan.actions.filter(title="Second action").exists(),
    ),
    "action_edit": (
        "draft", CITY, lambda plan, core: ("action", [1]),
        {"title": "Renamed action", "status": "planned", "progress": "0", "version": "1"},
        lambda plan: plan.actions.get(number=1).title == "Renamed action",
    ),
    "progress": (
        "implementation", CITY, lambda plan, core: ("progress", [1]),
        {"progress": "30", "status": "running", "version": "1"},
        lambda plan: plan.actions.get(number=1).progress == 30,
    ),
    "comment": (
        "consultation", CITY | {"lsg_member"}, lambda plan, core: ("comment", []),
        {"section": "evidence", "text": "Please add the 2024 survey"},
        lambda plan: plan.comments.exists(),
    ),
    "review": (
        "submitted", REVIEWERS, lambda plan, core: ("review", []),
        {"coherence": "4", "feasibility": "3", "integrated_approach": "5"},
        lambda plan: plan.reviews.exists(),
    ),
    "submit": (
        "draft", CITY, lambda plan, core: ("transition", ["submit"]), {},
        lambda plan: plan.status == "submitted",
    ),
    "close_review": (
        "submitted", REVIEWERS | {"platform_admin"},
        lambda plan, core: ("transition", ["return_for_changes"]), {},
        lambda plan: plan.status == "draft",
    ),
    "settings": (
        "draft", CITY, lambda plan, core: ("settings", []),
        {"title": "Renamed plan", "progress_weighting": "cost", "version": "1"},
        lambda plan: plan.title == "Renamed plan",
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("case", "role", "outcome"),
    [
        (case, role, outcome)
        for case, (_s, allowed, _u, _d, _c) in CASES.items()
        for role, outcome in outcome_table(allowed).items()
    ],
)
def test_write_pages_follow_the_role_matrix(case, role, outcome, people, plan, client_as):
    status, _allowed, url_of, data, changed = CASES[case]
    core = _setup(plan, status)
    name, extra = url_of(plan, core)
    url = reverse(f"actionplans:{name}", args=[*_args(plan), *extra])
    data = data(core) if callable(data) else data
    before = _state(plan)
    response = client_as(fresh(people[role])).post(url, data)
    plan.refresh_from_db()
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert changed(plan)
    else:
        if outcome == SIGN_IN:
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:login"))
        else:
            assert response.status_code == outcome
        assert _state(plan) == before


def test_a_peer_city_coordinator_reviews_through_the_page(everyone, plan, client_as):
    _setup(plan, "submitted")
    url = reverse("actionplans:review", args=_args(plan))
    data = {"coherence": "4", "feasibility": "3", "integrated_approach": "5"}
    assert client_as(everyone["peer"]).post(url, data).status_code == 302
    assert PeerReview.objects.get().reviewer == everyone["peer"]


def test_the_second_save_from_the_same_version_is_refused_and_shows_the_other_change(
    people, plan, client_as
):
    _setup(plan)
    client = client_as(people["city_coordinator"])
    url = reverse("actionplans:section", args=[*_args(plan), "evidence"])
    assert client.post(url, {"text": "Theirs", "version": "1"}).status_code == 302
    response = client.post(url, {"text": "Mine", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Someone else saved this" in html and "Theirs" in html and "Mine" in html
    assert PlanSection.objects.get(plan=plan, kind="evidence").text == "Theirs"


def test_bad_action_input_names_the_field_and_changes_nothing(people, plan, client_as):
    _setup(plan)
    url = reverse("actionplans:action_add", args=_args(plan))
    data = {"title": "Bad", "status": "planned", "progress": "0", "cost": "-5",
            "start_date": "2026-05-01", "end_date": "2026-01-01"}  # fmt: skip
    response = client_as(people["city_coordinator"]).post(url, data)
    assert response.status_code == 422
    assert response.context["form"].errors.keys() >= {"cost"}
    assert not Action.objects.filter(title="Bad").exists()
