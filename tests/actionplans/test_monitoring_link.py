"""A plan indicator linked to a monitoring indicator and area: its baseline, target and latest
values come from the city's observations, only the plan's city can be linked, and the plan page
reads all linked values in one query."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conet.actionplans import selectors, services
from conet.actionplans.models import Indicator
from tests.actionplans.conftest import fresh
from tests.actionplans.test_api import PLAN, call
from tests.actionplans.test_pages import _count, fill, plan_url
from tests.factories import (
    ALLOWED,
    AreaFactory,
    AreaLevelFactory,
    CityFactory,
    IndicatorFactory,
    MonitoringIndicatorFactory,
    ObjectiveFactory,
    ObservationFactory,
    assert_refused,
    outcome_table,
)

EDITORS = {"platform_admin", "city_coordinator"}


@pytest.fixture
def area(city):
    return AreaFactory(level=AreaLevelFactory(city=city), code="N12", name="Nordstadt")


@pytest.fixture
def unemployment(city, area):
    indicator = MonitoringIndicatorFactory(
        city=city, code="unemp", unit="%", source="Federal Employment Agency"
    )
    for period, value in [("2019", 9.5), ("2021", 8.0), ("2023", 6.5), ("2022", 7.0)]:
        ObservationFactory(indicator=indicator, area=area, period=period, value=value)
    ObservationFactory(indicator=indicator, area=AreaFactory(level=area.level), period="2024")
    return indicator


@pytest.fixture
def objective(plan):
    return ObjectiveFactory(plan=plan, number=1)


def linked(objective, indicator, area, **fields):
    return IndicatorFactory(
        objective=objective, monitoring_indicator=indicator, monitoring_area=area, **fields
    )


def test_linked_values_come_from_the_observations(objective, unemployment, area):
    plan_indicator = linked(objective, unemployment, area, baseline_period="2019")
    page = selectors.plan_page(objective.plan)
    monitored = page.objectives[0].indicators.all()[0].monitored
    assert plan_indicator.is_linked
    assert monitored.baseline == 9.5 and monitored.baseline_period == "2019"
    assert monitored.actual == 6.5 and monitored.actual_period == "2023"
    assert monitored.unit == "%" and monitored.source == "Federal Employment Agency"
    assert monitored.target == Decimal("50")  # the plan's own number: no target period
    assert monitored.area_url == reverse("monitoring:area", args=["partner-city", "N12"])


def test_the_target_is_the_observation_at_the_target_period(objective, unemployment, area):
    linked(objective, unemployment, area, baseline_period="2019", target_period="2022")
    monitored = selectors.plan_page(objective.plan).objectives[0].indicators.all()[0].monitored
    assert monitored.target == 7.0 and monitored.target_period == "2022"


def test_unlinked_indicators_keep_their_own_numbers(people, objective, client_as):
    IndicatorFactory(objective=objective, definition="Pupils in homework clubs")
    page = selectors.plan_page(objective.plan)
    assert page.objectives[0].indicators.all()[0].monitored is None
    html = client_as(people["city_coordinator"]).get(plan_url(objective.plan)).content.decode()
    assert "Pupils in homework clubs" in html and "From the monitoring of" not in html


def test_the_plan_page_shows_linked_values_with_a_link_to_the_area(
    people, objective, unemployment, area, client_as
):
    linked(objective, unemployment, area, baseline_period="2021", definition="Unemployment")
    html = client_as(people["city_coordinator"]).get(plan_url(objective.plan)).content.decode()
    area_url = reverse("monitoring:area", args=["partner-city", "N12"])
    # A whole value reads without decimals (8, not 8.0).
    for text in ["Unemployment", f'href="{area_url}"', "Nordstadt", "8 <small>(2021)</small>",
                 "6.5", "(2023)", "Federal Employment Agency"]:  # fmt: skip
        assert text in html, text


def test_an_indicator_or_area_of_another_city_is_refused(people, objective, unemployment, area):
    elsewhere = CityFactory(slug="elsewhere")
    foreign_area = AreaFactory(level=AreaLevelFactory(city=elsewhere))
    foreign_indicator = MonitoringIndicatorFactory(city=elsewhere)
    by = people["city_coordinator"]
    for fields, field in [
        ({"monitoring_indicator": unemployment, "monitoring_area": foreign_area}, "monitoring_area"),
        ({"monitoring_indicator": foreign_indicator, "monitoring_area": area}, "monitoring_indicator"),
        ({"monitoring_indicator": unemployment}, "monitoring_area"),
        ({"monitoring_area": area}, "monitoring_indicator"),
    ]:  # fmt: skip
        with pytest.raises(ValidationError) as error:
            services.add_indicator(objective, by=by, kind="result", definition="X", **fields)
        assert field in error.value.message_dict, fields
    assert not Indicator.objects.exists()


def test_the_api_refuses_an_area_of_another_city_on_the_field(
    people, objective, unemployment, client
):
    foreign_area = AreaFactory(level=AreaLevelFactory(city=CityFactory(slug="elsewhere")))
    body = {"kind": "result", "definition": "X", "monitoring_indicator": unemployment.pk,
            "monitoring_area": foreign_area.pk}  # fmt: skip
    response = call(
        client, "post", f"{PLAN}/objectives/1/indicators", people["city_coordinator"], body
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["monitoring_area"]
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS, visitor=401).items())
def test_linking_through_the_api_follows_the_role_matrix(
    role, outcome, people, objective, unemployment, area, client
):
    body = {"kind": "result", "definition": "Unemployment", "monitoring_indicator": unemployment.pk,
            "monitoring_area": area.pk, "baseline_period": "2019"}  # fmt: skip
    response = call(client, "post", f"{PLAN}/objectives/1/indicators", people[role], body)
    if outcome == ALLOWED:
        assert response.status_code == 201, response.content
        assert response.json()["monitoring_area"] == area.pk
        saved = Indicator.objects.get()
        assert (saved.monitoring_indicator, saved.monitoring_area) == (unemployment, area)
    else:
        assert response.status_code == outcome
        assert not Indicator.objects.exists()


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS).items())
def test_linking_in_the_add_form_follows_the_role_matrix(
    role, outcome, people, objective, unemployment, area, client_as
):
    plan = objective.plan
    url = reverse("actionplans:indicator_add", args=["testnet", "partner-city", 1])
    data = {"kind": "result", "definition": "Unemployment", "monitoring_indicator": unemployment.pk,
            "monitoring_area": area.pk, "baseline_period": "2019", "target_period": ""}  # fmt: skip
    response = client_as(fresh(people[role])).post(url, data)
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content
        assert response.url == plan.get_absolute_url()
        assert Indicator.objects.get().monitoring_area == area
    else:
        assert_refused(response, outcome)
        assert not Indicator.objects.exists()


def test_the_add_form_names_the_missing_area(people, objective, unemployment, client_as):
    url = reverse("actionplans:indicator_add", args=["testnet", "partner-city", 1])
    data = {"kind": "result", "definition": "X", "monitoring_indicator": unemployment.pk}
    response = client_as(people["city_coordinator"]).post(url, data)
    assert response.status_code == 422
    assert (
        "Choose both a monitoring indicator and an area, or neither." in response.content.decode()
    )
    assert not Indicator.objects.exists()


def test_the_plan_page_query_count_does_not_grow_with_linked_indicators(
    people, plan, city, area, unemployment, client_as
):
    client = client_as(fresh(people["city_coordinator"]))

    def add_linked(count: int):
        fill(plan, 1)
        objective = plan.objectives.order_by("-number").first()
        for _ in range(count):
            indicator = MonitoringIndicatorFactory(city=city)
            ObservationFactory(indicator=indicator, area=area, period="2020")
            linked(objective, indicator, area, baseline_period="2020")

    add_linked(1)
    few = _count(client, plan_url(plan))
    add_linked(10)
    many = _count(client, plan_url(plan))
    assert few == many
