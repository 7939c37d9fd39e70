"""Public accountability (Decidim's accountability component): a launched plan shows every visitor
its state today — each action's progress and status, the Gantt, funding per source, the indicators
from baseline to target — and the network page rolls up its partners' progress."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conet.actionplans import services
from conet.actionplans.models import Action, LocalActionPlan
from tests.factories import ActionFactory


def _url(name, plan, language="en"):
    with translation.override(language):
        return reverse(
            f"actionplans:{name}", args=[plan.partnership.network.slug, plan.partnership.city.slug]
        )


def _launch(plan, coordinator):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    plan.refresh_from_db()
    return services.transition(plan, "approve", by=coordinator)


@pytest.fixture
def launched(people, plan):
    coordinator = people["city_coordinator"]
    for number, (title, progress, cost, source) in enumerate(
        [
            ("Homework club", 80, Decimal("12000"), "ESF+"),
            ("Night walks", 20, Decimal("3000"), "City budget"),
        ],
        start=1,
    ):
        ActionFactory(
            plan=plan,
            number=number,
            title=title,
            progress=progress,
            cost=cost,
            funding_source=source,
            start_date=date(2026, 1, 1),
            end_date=date(2027, 6, 30),
        )
    plan = _launch(plan, coordinator)
    # After the launch the city reports progress: visitors see today's figures.
    Action.objects.filter(plan=plan, number=2).update(progress=60, status="delayed")
    return plan


def test_a_visitor_sees_the_launched_plan_as_it_stands_today(client, launched):
    page = client.get(_url("plan", launched, "it"), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200
    html = page.content.decode()
    today = html[html.index('id="plan-today"') : html.index("version-heading")]
    assert "A che punto è il piano oggi" in today
    night_walks = today[today.index("Night walks") :].split("</tr>", 1)[0]
    assert 'value="60"' in night_walks and "60%" in night_walks  # today's progress, not 20
    assert "in ritardo" in night_walks  # and today's status, in the reader's language
    assert "ESF+" in today and "City budget" in today  # funding per source
    assert "<svg" in today  # the Gantt
    # The launched version below keeps what was agreed: no progress column there.
    assert "Night walks" in html[html.index("version-heading") :]


def test_the_overall_progress_is_weighted_as_the_plan_says(client, launched):
    html = client.get(_url("plan", launched)).content.decode()
    # Equal weights by default: (80 + 60) / 2 = 70.
    assert "70 % of the plan carried out" in html


def test_an_older_version_shows_only_what_was_agreed_then(client, launched, people):
    coordinator = people["city_coordinator"]
    plan = services.transition(launched, "revise", by=coordinator)
    plan = _launch(plan, coordinator)
    old = client.get(_url("plan", plan) + "?version=1.0").content.decode()
    assert 'id="plan-today"' not in old


def test_the_network_page_rolls_up_the_partners_progress(client, launched):
    with translation.override("en"):
        url = reverse("networks:network", args=[launched.partnership.network.slug])
    html = client.get(url).content.decode()
    assert "70 % carried out on average, over 1 Local Action Plan" in html
    assert "70 % carried out" in html[html.index('class="partner-list"') :]


def test_a_working_plan_in_preparation_shows_no_progress_to_visitors(client, people, plan):
    ActionFactory(plan=plan, number=1, title="Secret draft", progress=50)
    with translation.override("en"):
        url = reverse("networks:network", args=[plan.partnership.network.slug])
    html = client.get(url).content.decode()
    assert "carried out" not in html


@pytest.mark.django_db
def test_the_public_progress_costs_the_same_queries_for_many_actions(client, launched):
    url = _url("plan", launched)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3, 30):
        ActionFactory(plan=launched, number=number, progress=number)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
