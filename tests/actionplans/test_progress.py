"""Progress roll-up arithmetic, checked by hand."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from conet.actionplans import services
from conet.actionplans.progress import objective_progress, rolled_up
from conet.actionplans.selectors import funding_totals, plan_page


def action(progress, cost=None, status="running", objectives=()):
    return SimpleNamespace(
        progress=progress,
        cost=None if cost is None else Decimal(cost),
        status=status,
        objective_ids=list(objectives),
    )


def test_equal_weighting_is_the_plain_mean():
    assert rolled_up([action(0), action(50), action(100)], "equal") == 50


def test_cost_weighting_weighs_by_cost():
    # (100 × 30000 + 0 × 10000) / 40000 = 75
    assert rolled_up([action(100, "30000"), action(0, "10000")], "cost") == 75


def test_an_action_without_cost_weighs_nothing_by_cost():
    # (20 × 1000 + 80 × 0) / 1000 = 20
    assert rolled_up([action(20, "1000"), action(80)], "cost") == 20


def test_without_any_cost_the_actions_count_equally():
    assert rolled_up([action(20), action(80)], "cost") == 50


def test_cancelled_actions_drop_out():
    assert rolled_up([action(100), action(0, status="cancelled")], "equal") == 100


def test_nothing_to_count_is_none_not_zero():
    assert rolled_up([], "equal") is None
    assert rolled_up([action(10, status="cancelled")], "cost") is None


def test_objectives_roll_up_their_own_actions():
    objectives = [SimpleNamespace(pk=1), SimpleNamespace(pk=2), SimpleNamespace(pk=3)]
    actions = [
        action(100, "3000", objectives=[1]),
        action(0, "1000", objectives=[1, 2]),
        action(60, "1000", objectives=[2]),
    ]
    by_cost = objective_progress(objectives, actions, "cost")
    assert by_cost == {1: 75.0, 2: 30.0, 3: None}
    assert objective_progress(objectives, actions, "equal") == {1: 50.0, 2: 30.0, 3: None}


def test_funding_totals_by_source_and_year():
    from datetime import date

    rows = [
        SimpleNamespace(
            cost=Decimal(100), funding_source="ERDF", start_date=date(2026, 3, 1), status="planned"
        ),
        SimpleNamespace(
            cost=Decimal(50), funding_source="ERDF", start_date=date(2027, 1, 1), status="planned"
        ),
        SimpleNamespace(
            cost=Decimal(30), funding_source="City", start_date=date(2026, 5, 1), status="planned"
        ),
        SimpleNamespace(
            cost=None, funding_source="City", start_date=date(2026, 5, 1), status="planned"
        ),
        SimpleNamespace(
            cost=Decimal(999), funding_source="City", start_date=None, status="cancelled"
        ),
    ]
    totals = funding_totals(rows)
    assert totals["years"] == ["2026", "2027"]
    assert [(r["source"], r["cells"], r["total"]) for r in totals["rows"]] == [
        ("City", [30, 0], 30),
        ("ERDF", [100, 50], 150),
    ]
    assert totals["year_totals"] == [130, 50]
    assert totals["total"] == 180


@pytest.mark.django_db
def test_the_plan_page_rolls_up_stored_actions(people, plan):
    coordinator = people["city_coordinator"]
    objective = services.add_objective(plan, by=coordinator, title="More pupils finish school")
    services.add_action(
        plan, by=coordinator, title="A", cost=Decimal(300), progress=100, objectives=[objective]
    )
    services.add_action(plan, by=coordinator, title="B", cost=Decimal(100), progress=0)
    plan.progress_weighting = "cost"
    page = plan_page(plan)
    assert page.progress == 75
    assert page.objectives[0].progress == 100
