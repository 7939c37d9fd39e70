"""No lost updates: two saves of one action (or section) from the same starting version —
one goes through, the other is refused with the stored change, and the row holds exactly the first.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the check and the write are one
UPDATE … WHERE version = n (conet.core.concurrency.update_versioned).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from conet.actionplans import services
from conet.actionplans.models import Action, PlanSection
from conet.core.concurrency import EditConflict
from tests.concurrency import at_once
from tests.factories import ActionFactory, LocalActionPlanFactory, UserFactory


def race(load, save, payloads: list[str]) -> dict:
    """Two threads load the same row, wait for each other, then save; each closes its connection."""
    both_loaded = threading.Barrier(2)
    # SQLite's in-memory test database refuses a second writer at once instead of waiting; there the
    # two saves take turns after both have loaded the same version. Elsewhere they race.
    take_turns = connection.vendor == "sqlite" and connection.is_in_memory_db()
    turn = threading.Lock()
    outcomes: dict[str, object] = {}

    def run(payload: str) -> None:
        try:
            loaded = load()
            both_loaded.wait(timeout=10)
            if take_turns:
                turn.acquire()
            try:
                save(loaded, payload)
                outcomes[payload] = "saved"
            except EditConflict as conflict:
                outcomes[payload] = conflict
            finally:
                if take_turns:
                    turn.release()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_saves_of_one_action_from_the_same_version_let_exactly_one_through(transactional_db):
    action = ActionFactory(title="Before", cost=Decimal("100"))
    editor = UserFactory(is_staff=True)

    def load():
        return Action.objects.select_related(
            "plan__partnership__network", "plan__partnership__city"
        ).get(pk=action.pk)

    def save(loaded, title):
        services.update_action(
            loaded, by=editor, expected_version=loaded.version, changes={"title": title}
        )

    outcomes = race(load, save, ["First", "Second"])
    [winner] = [title for title, outcome in outcomes.items() if outcome == "saved"]
    [loser] = [title for title, outcome in outcomes.items() if isinstance(outcome, EditConflict)]
    assert outcomes[loser].current.title == winner
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.version, stored.cost) == (winner, 2, Decimal("100"))


def test_two_saves_of_one_section_from_the_same_version_let_exactly_one_through(transactional_db):
    plan = LocalActionPlanFactory()
    section = PlanSection.objects.create(plan=plan, kind="evidence", text="Before")
    editor = UserFactory(is_staff=True)

    def load():
        return PlanSection.objects.select_related(
            "plan__partnership__network", "plan__partnership__city"
        ).get(pk=section.pk)

    def save(loaded, text):
        services.update_section(loaded, by=editor, expected_version=loaded.version, text=text)

    outcomes = race(load, save, ["Theirs", "Mine"])
    [winner] = [text for text, outcome in outcomes.items() if outcome == "saved"]
    [loser] = [text for text, outcome in outcomes.items() if isinstance(outcome, EditConflict)]
    assert outcomes[loser].current.text == winner
    stored = PlanSection.objects.get(pk=section.pk)
    assert (stored.text, stored.version) == (winner, 2)


def test_a_save_from_an_old_version_is_refused_and_changes_nothing(db):
    action = ActionFactory(title="Before")
    editor = UserFactory(is_staff=True)
    services.update_action(action, by=editor, expected_version=1, changes={"title": "First"})
    with pytest.raises(EditConflict) as conflict:
        services.update_action(action, by=editor, expected_version=1, changes={"title": "Second"})
    assert conflict.value.current.title == "First"
    assert Action.objects.get(pk=action.pk).title == "First"


def add_at_once(monkeypatch, adds: dict) -> dict:
    """Run `adds` at once, each pausing right after reading the plan's highest number: without the
    plan lock both would read the same number (tests/concurrency.py)."""
    return at_once(
        monkeypatch,
        adds,
        pause_after=[(services, "_highest_number")],
        together="both adds read the highest number at the same time",
    )


@pytest.mark.parametrize("kind", ["action", "objective"])
def test_two_adds_to_one_plan_at_once_get_distinct_numbers(transactional_db, monkeypatch, kind):
    plan = LocalActionPlanFactory()
    if kind == "action":
        ActionFactory(plan=plan, number=1)
    else:
        services.add_objective(plan, by=UserFactory(is_staff=True), title="Already there")
    editor = UserFactory(is_staff=True)

    def add(title):
        def run():
            fresh = type(plan).objects.get(pk=plan.pk)
            if kind == "action":
                return services.add_action(fresh, by=editor, title=title).number
            return services.add_objective(fresh, by=editor, title=title).number

        return run

    outcomes = add_at_once(monkeypatch, {"ana": add("Homework club"), "ben": add("Street party")})

    assert sorted(outcomes.values()) == [2, 3], outcomes
    stored = getattr(plan, f"{kind}s").order_by("number").values_list("number", "title")
    assert [number for number, _title in stored] == [1, 2, 3]
