"""Objectives and indicators can be changed after they are added: versioned, a save from an older
version is refused with the other change shown, and only the plan's editors may do it."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from conet.actionplans import services
from conet.actionplans.models import Indicator, LocalActionPlan, Objective
from conet.core.concurrency import EditConflict
from tests.actionplans.conftest import fresh
from tests.factories import (
    ALLOWED,
    IndicatorFactory,
    ObjectiveFactory,
    ProblemNodeFactory,
    assert_refused,
    outcome_table,
)

EDITORS = {"platform_admin", "city_coordinator"}


def _args(plan):
    return [plan.partnership.network.slug, plan.partnership.city.slug]


@pytest.fixture
def objective(plan):
    return ObjectiveFactory(plan=plan, number=1, title="Fewer drop-outs")


@pytest.fixture
def indicator(objective):
    return IndicatorFactory(objective=objective, definition="Pupils in the club", unit="pupils")


def _objective_url(plan):
    return reverse("actionplans:objective", args=[*_args(plan), 1])


def _indicator_url(plan, indicator):
    return reverse("actionplans:indicator", args=[*_args(plan), 1, indicator.pk])


INDICATOR_DATA = {"kind": "result", "definition": "Pupils who stay in school", "unit": "pupils",
                  "baseline": "12", "target": "40", "source": "School register",
                  "frequency": "yearly", "version": "1"}  # fmt: skip


def _state():
    return (
        list(Objective.objects.values_list("title", "description", "version")),
        list(Indicator.objects.values_list("definition", "baseline", "target", "version")),
    )


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS).items())
def test_editing_an_objective_follows_the_role_matrix(
    role, outcome, people, plan, objective, client_as
):
    before = _state()
    data = {"title": "Half as many drop-outs", "description": "By 2028", "version": "1"}
    response = client_as(fresh(people[role])).post(_objective_url(plan), data)
    if outcome == ALLOWED:
        assert response.status_code == 302
        objective.refresh_from_db()
        assert (objective.title, objective.version) == ("Half as many drop-outs", 2)
    else:
        assert_refused(response, outcome)
        assert _state() == before


@pytest.mark.parametrize(("role", "outcome"), outcome_table(EDITORS).items())
def test_editing_an_indicator_follows_the_role_matrix(
    role, outcome, people, plan, indicator, client_as
):
    before = _state()
    response = client_as(fresh(people[role])).post(_indicator_url(plan, indicator), INDICATOR_DATA)
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content.decode()[-1500:]
        indicator.refresh_from_db()
        assert (indicator.definition, indicator.target, indicator.version) == (
            "Pupils who stay in school",
            40,
            2,
        )
    else:
        assert_refused(response, outcome)
        assert _state() == before


def test_the_edit_pages_show_the_stored_values(people, plan, indicator, client_as):
    client = client_as(people["city_coordinator"])
    assert "Fewer drop-outs" in client.get(_objective_url(plan)).content.decode()
    html = client.get(_indicator_url(plan, indicator)).content.decode()
    assert "Pupils in the club" in html
    page = client.get(reverse("actionplans:plan", args=_args(plan))).content.decode()
    assert _objective_url(plan) in page and _indicator_url(plan, indicator) in page


def test_nobody_edits_objectives_of_a_submitted_plan(people, plan, indicator, client_as):
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="submitted")
    before = _state()
    client = client_as(people["city_coordinator"])
    data = {"title": "Late change", "version": "1"}
    assert client.post(_objective_url(plan), data).status_code == 403
    assert client.post(_indicator_url(plan, indicator), INDICATOR_DATA).status_code == 403
    assert _state() == before


def test_the_second_indicator_save_from_the_same_version_is_refused_and_shows_the_first(
    people, plan, indicator, client_as
):
    client = client_as(people["city_coordinator"])
    assert client.post(_indicator_url(plan, indicator), INDICATOR_DATA).status_code == 302
    response = client.post(
        _indicator_url(plan, indicator), {**INDICATOR_DATA, "definition": "Mine", "target": "90"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Someone else saved this" in html and "Pupils who stay in school" in html
    indicator.refresh_from_db()
    assert (indicator.definition, indicator.target) == ("Pupils who stay in school", 40)


def test_the_second_objective_save_from_the_same_version_is_refused(people, objective):
    user = people["city_coordinator"]
    objective.plan.partnership  # noqa: B018  (loaded for the permission check)
    services.update_objective(objective, by=user, expected_version=1, changes={"title": "First"})
    with pytest.raises(EditConflict) as conflict:
        services.update_objective(
            objective, by=user, expected_version=1, changes={"title": "Second"}
        )
    assert conflict.value.current.title == "First"
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("First", 2)


def test_bad_indicator_input_names_the_field_and_changes_nothing(
    people, plan, indicator, client_as
):
    before = _state()
    response = client_as(people["city_coordinator"]).post(
        _indicator_url(plan, indicator), {**INDICATOR_DATA, "target": "many", "definition": ""}
    )
    assert response.status_code == 422
    assert response.context["form"].errors.keys() >= {"target", "definition"}
    assert _state() == before


def test_an_objective_cannot_point_at_another_plans_problem_node(people, plan, objective):
    foreign = ProblemNodeFactory(statement="Elsewhere")
    with pytest.raises(Exception) as error:
        services.update_objective(
            objective,
            by=people["city_coordinator"],
            expected_version=1,
            changes={"problem_node": foreign},
        )
    assert "problem_node" in str(error.value)
    objective.refresh_from_db()
    assert objective.problem_node is None and objective.version == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_indicator_saves_one_wins_and_the_row_holds_exactly_it(people, plan):
    """Two threads save the same indicator from version 1: one succeeds, one is refused."""
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan, number=1))
    user = people["city_coordinator"]
    barrier = threading.Barrier(2)
    results = {}

    def save(name: str, target: int) -> None:
        try:
            fresh_indicator = Indicator.objects.select_related("objective__plan__partnership").get(
                pk=indicator.pk
            )
            barrier.wait()
            services.update_indicator(
                fresh_indicator,
                by=user,
                expected_version=1,
                changes={"definition": name, "target": target},
            )
            results[name] = "saved"
        except EditConflict:
            results[name] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n, t)) for n, t in (("A", 10), ("B", 20))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["refused", "saved"]
    winner = next(name for name, result in results.items() if result == "saved")
    indicator.refresh_from_db()
    assert indicator.definition == winner and indicator.target == {"A": 10, "B": 20}[winner]
    assert indicator.version == 2
