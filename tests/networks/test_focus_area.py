"""A focus area's page: its address, its story across consultation, workshop, plan actions and
progress as far as the reader may see it, and its cost in queries."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conet.actionplans.models import LocalActionPlan, PlanVersion
from conet.networks import services
from conet.networks.models import Partnership
from conet.workshops.models import Proposal, Workshop
from tests.factories import (
    ActionFactory,
    AreaFactory,
    ConsultationFactory,
    LocalActionPlanFactory,
    StatementFactory,
)
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(network, city) -> Partnership:
    partnership = Partnership.objects.select_related("network", "city").get(
        network=network, city=city
    )
    partnership.focus_area_name = "Ballarò"
    partnership.focus_area_description = "Narrow streets around the market."
    partnership.focus_area_slug = ""
    partnership.save()
    return partnership


def launch(plan, numbers) -> None:
    """The plan approved, its version 1.0 agreeing the actions `numbers`."""
    LocalActionPlan.objects.filter(pk=plan.pk).update(status=LocalActionPlan.Status.APPROVED)
    PlanVersion.objects.create(
        plan=plan, major=1, minor=0, snapshot={"actions": [{"number": n} for n in numbers]}
    )


def story(area, steps: int = 1, launched: bool = True):
    """`steps` consultations with a statement each that led to an action, and `steps` finished
    workshops with a proposal each that became an action."""
    plan = LocalActionPlanFactory(partnership=area, title="Ballarò plan")
    actions = []
    for n in range(steps):
        consultation = ConsultationFactory(
            city=area.city,
            network=area.network,
            slug=f"ask-{n}-{area.city.slug}",
            question=f"Question {n}?",
            opens_at=timezone.now() - timedelta(days=10 + n),
        )
        statement = StatementFactory(consultation=consultation, text=f"Streets too dark {n}")
        action = ActionFactory(
            plan=plan, number=2 * n + 1, title=f"Light the streets {n}", progress=40
        )
        statement.actions.add(action)
        workshop = WorkshopFactory(
            city=area.city, network=None, title=f"Workshop {n}", status=Workshop.Status.FINISHED
        )
        proposed = ActionFactory(plan=plan, number=2 * n + 2, title=f"After-school club {n}")
        Proposal.objects.create(workshop=workshop, title=f"Homework help {n}", action=proposed)
        actions += [action, proposed]
    if launched:
        launch(plan, [action.number for action in actions])
    return plan


def page(client, area, language="en") -> str:
    with translation.override(language):
        url = reverse(
            "networks:focus_area", args=[area.network.slug, area.city.slug, area.focus_area_slug]
        )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# The address -------------------------------------------------------------------------------------


def test_the_address_is_made_from_the_name(area):
    assert area.focus_area_slug == "ballaro"
    assert area.get_focus_area_url() == "/en/networks/testnet/partner-city/ballaro/"


def test_a_name_whose_address_another_page_answers_gets_a_number(area, people):
    updated = services.update_partnership(
        area,
        by=people["network_coordinator"],
        expected_version=area.version,
        changes={"focus_area_name": "Plan", "focus_area_slug": ""},
    )
    assert updated.focus_area_slug == "plan-2"  # /…/partner-city/plan/ is the Local Action Plan


def test_a_given_address_that_another_page_answers_is_refused(area, people):
    with pytest.raises(ValidationError) as refused:
        services.update_partnership(
            area,
            by=people["network_coordinator"],
            expected_version=area.version,
            changes={"focus_area_slug": "group"},
        )
    assert "focus_area_slug" in refused.value.message_dict
    area.refresh_from_db()
    assert area.focus_area_slug == "ballaro"


def test_the_pages_under_the_partnership_still_answer(client, area, people):
    plan = story(area)
    client.force_login(people["city_coordinator"])
    assert client.get(plan.get_absolute_url()).status_code == 200
    group = reverse("localgroups:group", args=["testnet", "partner-city"])
    assert client.get(group).resolver_match.view_name == "localgroups:group"


def test_a_partnership_without_a_focus_area_has_no_page(client, area):
    Partnership.objects.filter(pk=area.pk).update(focus_area_name="")
    url = reverse("networks:focus_area", args=["testnet", "partner-city", "ballaro"])
    assert client.get(url).status_code == 404


# The story ---------------------------------------------------------------------------------------


def test_a_visitor_follows_the_story_from_statement_to_action_and_back(client, area):
    plan = story(area)
    text = page(client, area)
    action = plan.actions.get(number=1)
    assert "Narrow streets around the market." in text
    assert "Question 0?" in text and "Streets too dark 0" in text
    assert action.get_absolute_url() in text and "40%" in text
    assert "Homework help 0" in text and "After-school club 0" in text
    assert 'name="target" value="focus_area:' in text  # the follow form
    # …and back: the action's page names the statement and the proposal it came from.
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert "Streets too dark 0" in action_page
    assert (
        reverse("consultations:results", args=["ask-0-partner-city"]) + "#statement-" in action_page
    )
    proposed = client.get(plan.actions.get(number=2).get_absolute_url()).content.decode()
    assert "Homework help 0" in proposed


def test_a_draft_plan_stays_with_the_people_who_work_on_it(client_as, people, area):
    story(area, launched=False)
    text = page(client_as(None), area)
    assert "Light the streets 0" not in text and "After-school club 0" not in text
    assert "No Local Action Plan is public here yet." in text
    assert "Question 0?" in text  # the consultation itself is public
    member = page(client_as(people["lsg_member"]), area)
    assert "Light the streets 0" in member and "After-school club 0" in member
    action = LocalActionPlan.objects.get().actions.get(number=1)
    assert client_as(None).get(action.get_absolute_url()).status_code == 404


def test_the_coordinator_may_edit_the_focus_area_from_its_page(client_as, people, area):
    story(area)
    edit = reverse("networks:partnership_edit", args=["testnet", "partner-city"])
    assert edit in page(client_as(people["network_coordinator"]), area)
    assert edit not in page(client_as(people["lsg_member"]), area)


def test_an_empty_focus_area_says_what_is_not_there_yet(client, area):
    text = page(client, area)
    for empty in (
        "No consultation here yet.",
        "No Future Workshop yet.",
        "No Local Action Plan is public here yet.",
        "Progress and indicators appear once the plan is public.",
    ):
        assert empty in text


def test_the_city_hub_links_to_the_focus_area(client, area):
    with translation.override("it"):
        url = reverse("networks:city", args=[area.city.slug])
        target = area.get_focus_area_url()
    assert target in client.get(url).content.decode()


def test_the_page_reads_in_the_visitors_language(client, area):
    story(area)
    text = page(client, area, "it")
    assert "Consultazione" in text or "consultazione" in text


def test_a_consultation_still_open_is_marked_as_listening_now_with_a_way_to_vote(client, area):
    now = timezone.now()
    ConsultationFactory(
        city=area.city,
        network=area.network,
        slug="then",
        question="What had to change?",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=350),
    )
    ConsultationFactory(
        city=area.city,
        network=area.network,
        slug="now",
        question="What is needed next?",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
    )
    text = page(client, area)
    articles = text.split('<article class="story-item">')[1:3]
    assert "What had to change?" in articles[0] and "Listening now" not in articles[0]
    assert "What is needed next?" in articles[1] and "Listening now" in articles[1]
    assert reverse("consultations:vote", args=["now"]) in articles[1]


# The map -----------------------------------------------------------------------------------------

BALLARO = {  # a small ring around Ballarò's market, longitude/latitude
    "type": "Polygon",
    "coordinates": [[[13.357, 38.111], [13.364, 38.111], [13.364, 38.116], [13.357, 38.111]]],
}


def _script(text: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', text)
    return json.loads(found.group(1)) if found else None


def test_the_map_draws_the_monitoring_areas_outline_where_the_city_has_one(client, area):
    shaped = AreaFactory(level__city=area.city, name="ballarò", code="PA-07", geometry=BALLARO)
    shaped.set_bounds()
    shaped.save()
    text = page(client, area)
    shape = _script(text, "partner-shape")
    assert shape["geometry"]["type"] == "Polygon"
    (ring,) = shape["geometry"]["coordinates"]
    (expected,) = BALLARO["coordinates"]
    # Snapped to about a thousandth of the area's width, as the monitoring map snaps its shapes.
    assert [c for point in ring for c in point] == pytest.approx(
        [c for point in expected for c in point], abs=1e-5
    )
    assert shape["properties"] == {"name": "Ballarò", "url": shaped.get_absolute_url()}
    assert _script(text, "partner-points") is None  # the outline, not a point
    assert shaped.get_absolute_url() in text  # and the link to its figures beside the map


def test_the_map_shows_the_city_as_one_point_where_no_area_has_a_shape(client, area):
    AreaFactory(level__city=area.city, name="Ballarò", code="PA-07")  # no shape
    text = page(client, area)
    assert _script(text, "partner-shape") is None
    (point,) = _script(text, "partner-points")
    assert (point["lat"], point["lng"]) == (
        float(area.city.latitude),
        float(area.city.longitude),
    )
    assert "the focus area has no outline in the city's monitoring yet" in text


# Queries -----------------------------------------------------------------------------------------


def _queries(client, area) -> int:
    page(client, area)
    with CaptureQueriesContext(connection) as queries:
        page(client, area)
    return len(queries)


@pytest.mark.parametrize("reader", [None, "lsg_member", "city_coordinator"])
def test_the_page_costs_the_same_queries_with_2_or_20_steps(client_as, people, network, reader):
    counts = []
    for steps in (2, 20):
        from tests.factories import CityFactory, PartnershipFactory

        city = CityFactory()
        if reader is not None:
            people[reader].memberships.update(city=city)
        area = PartnershipFactory(network=network, city=city, focus_area_name="Ballarò")
        story(area, steps)
        counts.append(_queries(client_as(people[reader] if reader else None), area))
    assert counts[0] == counts[1]
    assert counts[0] <= 20  # the budget of the city hub (tests/networks/test_city_hub.py)
