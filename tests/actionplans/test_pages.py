"""The plan page, the launched version, the network overview: what each role sees, and query
counts that stay the same whatever the number of actions and partners."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.actionplans import services
from conet.actionplans.models import LocalActionPlan
from tests.actionplans.conftest import fresh
from tests.factories import (
    ActionFactory,
    CityFactory,
    IndicatorFactory,
    LocalActionPlanFactory,
    ObjectiveFactory,
    PartnershipFactory,
    PeerReviewFactory,
    ProblemNodeFactory,
    StakeholderFactory,
)


def plan_url(plan):
    return reverse(
        "actionplans:plan", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )


def fill(plan, actions: int):
    core = plan.problem_nodes.filter(kind="core").first() or ProblemNodeFactory(plan=plan)
    ProblemNodeFactory(plan=plan, kind="cause", parent=core, statement="Few youth workers")
    objective = ObjectiveFactory(plan=plan, number=plan.objectives.count() + 1)
    IndicatorFactory(objective=objective)
    from conet.localgroups.services import group_of

    stakeholder = StakeholderFactory(group=group_of(plan.partnership))
    task = plan.partnership.network.core_tasks.first()
    start = plan.actions.count()
    for n in range(actions):
        action = ActionFactory(plan=plan, number=start + n + 1, cost=Decimal(1000 * (n + 1)))
        action.partners.add(stakeholder)
        action.objectives.add(objective)
        if task:
            action.core_tasks.add(task)


def test_the_plan_page_shows_the_tree_the_actions_the_gantt_and_the_funding(
    people, plan, client_as
):
    core = ProblemNodeFactory(plan=plan, statement="Early school leaving", objective="Pupils stay")
    ProblemNodeFactory(plan=plan, kind="cause", parent=core, statement="No after-school care")
    ProblemNodeFactory(plan=plan, kind="effect", parent=core, statement="Youth unemployment")
    ActionFactory(plan=plan, title="Homework club", funding_source="ESF", cost=Decimal(5000))
    html = client_as(people["city_coordinator"]).get(plan_url(plan)).content.decode()
    for text in ["Early school leaving", "→ Pupils stay", "No after-school care",
                 "Youth unemployment", "Homework club", "<svg", "ESF", "5,000"]:  # fmt: skip
        assert text in html, text


def test_visitors_see_the_launched_version_not_the_draft(people, plan, client_as):
    ProblemNodeFactory(plan=plan)
    ActionFactory(plan=plan, title="Launched action")
    plan = LocalActionPlan.objects.get(pk=plan.pk)
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    plan.refresh_from_db()
    services.transition(plan, "approve", by=people["city_coordinator"])
    ActionFactory(plan=plan, title="Draft idea", number=99)
    visitor = client_as(None).get(plan_url(plan))
    html = visitor.content.decode()
    assert visitor.status_code == 200
    assert "Launched action" in html and "Draft idea" not in html
    assert "version 1.0" in html
    coordinator = client_as(people["city_coordinator"]).get(plan_url(plan)).content.decode()
    assert "Draft idea" in coordinator


def test_a_plan_never_launched_is_not_found_for_visitors(plan, client_as):
    assert client_as(None).get(plan_url(plan)).status_code == 404


def test_a_city_coordinator_can_start_the_missing_plan(people, network, city, client_as):
    url = reverse("actionplans:plan", args=[network.slug, city.slug])
    client = client_as(people["city_coordinator"])
    assert "Start the plan" in client.get(url).content.decode()
    response = client.post(reverse("actionplans:create", args=[network.slug, city.slug]))
    assert response.status_code == 302
    assert LocalActionPlan.objects.get().sections.count() == 6


@pytest.mark.parametrize("role", ["visitor", "signed_in", "other_city_coordinator"])
def test_others_cannot_start_a_plan(role, people, network, city, client_as):
    client = client_as(people[role])
    response = client.post(reverse("actionplans:create", args=[network.slug, city.slug]))
    assert response.status_code in (302, 403)
    assert not LocalActionPlan.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_plan_page_query_count_does_not_grow_with_the_actions(people, plan, client_as):
    client = client_as(fresh(people["city_coordinator"]))
    fill(plan, 2)
    few = _count(client, plan_url(plan))
    fill(plan, 20)
    many = _count(client, plan_url(plan))
    assert few == many
    assert many <= 25


def test_the_overview_query_count_does_not_grow_with_the_partners(people, network, client_as):
    client = client_as(fresh(people["network_coordinator"]))
    url = reverse("actionplans:overview", args=[network.slug])

    def add_partner():
        partnership = PartnershipFactory(network=network, city=CityFactory())
        plan = LocalActionPlanFactory(partnership=partnership)
        fill(plan, 3)
        PeerReviewFactory(plan=plan)

    add_partner()
    few = _count(client, url)
    for _ in range(8):
        add_partner()
    many = _count(client, url)
    assert few == many
    assert many <= 15


def test_the_overview_shows_status_progress_and_scores(people, network, client_as):
    partnership = PartnershipFactory(network=network, city=CityFactory(name="Palermo"))
    plan = LocalActionPlanFactory(partnership=partnership, status="reviewed")
    ActionFactory(plan=plan, progress=40)
    ActionFactory(plan=plan, progress=60)
    PeerReviewFactory(plan=plan, coherence=4)
    PeerReviewFactory(plan=plan, coherence=5)
    html = (
        client_as(people["network_coordinator"])
        .get(reverse("actionplans:overview", args=[network.slug]))
        .content.decode()
    )
    assert "Palermo" in html and "reviewed" in html and "50%" in html and "4.5" in html


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("visitor", False), ("signed_in", False), ("platform_admin", True),
        ("network_coordinator", True), ("lead_expert", True), ("expert", True),
        ("city_coordinator", False), ("lsg_member", False),
        ("other_network_coordinator", False), ("other_city_coordinator", False),
    ],
)  # fmt: skip
def test_the_overview_is_for_the_networks_team(role, allowed, people, network, client_as):
    response = client_as(people[role]).get(reverse("actionplans:overview", args=[network.slug]))
    assert (response.status_code == 200) == allowed
