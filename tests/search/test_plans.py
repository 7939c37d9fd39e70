"""Launched action plans are searchable: the latest launched version of each plan, never a draft."""

import pytest

from conet.actionplans import services
from conet.actionplans.models import LocalActionPlan, PlanSection
from conet.networks.models import Partnership
from conet.search.models import SearchDocument
from conet.search.selectors import search
from tests.factories import LocalActionPlanFactory


def _launch(plan, coordinator):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    plan.refresh_from_db()
    return services.transition(plan, "approve", by=coordinator)


@pytest.fixture
def plan(people, network, city):
    partnership = Partnership.objects.get(network=network, city=city)
    plan = LocalActionPlanFactory(partnership=partnership, title="Ballarò together")
    for kind in PlanSection.Kind.values:
        PlanSection.objects.create(plan=plan, kind=kind)
    return plan


def test_a_launched_plan_is_found_and_a_newer_launch_replaces_the_older(
    people, plan, django_capture_on_commit_callbacks
):
    coordinator = people["city_coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        services.add_action(plan, by=coordinator, title="Homework club")
    assert not SearchDocument.objects.filter(kind="plan").exists()  # a draft is not public

    with django_capture_on_commit_callbacks(execute=True):
        plan = _launch(plan, coordinator)
    hit = search("homework", language="en", kinds=["plan"]).hits[0]
    assert hit.title == "Ballarò together (1.0)"
    assert hit.url.endswith("/plan/?version=1.0")
    assert hit.facets["city"] == plan.partnership.city.name

    with django_capture_on_commit_callbacks(execute=True):
        plan = services.transition(plan, "revise", by=coordinator)
        services.add_action(plan, by=coordinator, title="Night walks")
    with django_capture_on_commit_callbacks(execute=True):
        _launch(plan, coordinator)
    titles = list(SearchDocument.objects.filter(kind="plan").values_list("title", flat=True))
    assert len(titles) == 1 and titles[0].startswith("Ballarò together (")
    assert titles[0] != "Ballarò together (1.0)"
    assert search("night walks", language="en", kinds=["plan"]).total == 1
