"""History (who changed what and when) and two versions compared side by side."""

import pytest
from django.urls import reverse

from conet.actionplans import services
from conet.actionplans.models import LocalActionPlan
from conet.core.languages import in_language
from tests.factories import ActionFactory, PeerReviewFactory, ProblemNodeFactory


def _url(name, plan, **query):
    url = reverse(
        f"actionplans:{name}", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _launch(plan, coordinator):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    plan.refresh_from_db()
    return services.transition(plan, "approve", by=coordinator)


@pytest.fixture
def two_versions(people, plan):
    coordinator = people["city_coordinator"]
    ProblemNodeFactory(plan=plan)
    section = plan.sections.get(kind="evidence")
    services.update_section(section, by=coordinator, expected_version=1, text="Survey 2009")
    services.add_action(plan, by=coordinator, title="Homework club")
    plan = _launch(plan, coordinator)
    plan = services.transition(plan, "revise", by=coordinator)
    section.refresh_from_db()
    services.update_section(
        section, by=coordinator, expected_version=section.version, text="Survey 2010"
    )
    services.add_action(plan, by=coordinator, title="Night walks")
    return _launch(plan, coordinator)


def test_the_plan_page_lists_who_changed_what(people, plan, client_as):
    coordinator = people["city_coordinator"]
    section = plan.sections.get(kind="evidence")
    services.update_section(section, by=coordinator, expected_version=1, text="Survey")
    services.add_action(plan, by=coordinator, title="Homework club")
    html = client_as(coordinator).get(_url("plan", plan)).content.decode()
    history = html[html.index('id="history"') :]
    assert f"{coordinator} added action 1: Homework club" in history
    assert f"{coordinator} changed the section" in history and "Evidence base" in history


def test_two_launched_versions_side_by_side(two_versions, client_as):
    plan = two_versions
    response = client_as(None).get(_url("compare", plan, old="1.0", new="1.1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Survey 2009" in html and "Survey 2010" in html
    assert "Night walks" in html and ">new</mark>" in html
    assert html.count('class="changed"') == 2  # the evidence section and action 2


def test_visitors_cannot_compare_with_the_working_plan(two_versions, client_as):
    response = client_as(None).get(_url("compare", two_versions, old="1.1", new="working"))
    assert response.status_code == 404


def test_the_team_compares_the_working_plan_with_the_last_version(two_versions, people, client_as):
    ActionFactory(plan=two_versions, number=3, title="Draft idea")
    response = client_as(people["lead_expert"]).get(
        _url("compare", two_versions, old="1.1", new="working")
    )
    assert response.status_code == 200 and "Draft idea" in response.content.decode()


def test_nothing_to_compare_is_not_found(people, plan, client_as):
    PeerReviewFactory(plan=plan)
    assert client_as(None).get(_url("compare", plan)).status_code == 404


def test_compared_versions_show_each_actions_status_in_the_readers_language(
    two_versions, client_as
):
    from django.utils import translation

    with translation.override("de"):
        response = client_as(None).get(
            in_language(_url("compare", two_versions, old="1.0", new="1.1"), "de")
        )
    html = response.content.decode()
    assert "geplant" in html  # the status label, not its code "planned"
    assert "· planned ·" not in html
