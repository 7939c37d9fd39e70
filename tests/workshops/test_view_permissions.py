"""The role × action matrix for every facilitator write over HTTP: the roles that may run the
workshop change it, every other role is refused (403, or the sign-in page for a visitor) and
nothing changes. Participants (no account) are in test_participant_matrix.py."""

import pytest
from django.urls import reverse

from conet.workshops.models import (
    Card,
    Cluster,
    Participant,
    Phase,
    Proposal,
    Table,
    Workshop,
    WorkshopEvent,
)
from tests.factories import ALLOWED, SIGN_IN, assert_refused, outcome_table
from tests.workshops.factories import ClusterFactory, join, open_phase

# A workshop of the city: its coordinator, the network's staff (the city is a partner), admins.
RUNNERS = {"platform_admin", "city_coordinator", "network_coordinator", "lead_expert"}


def _fresh(user):
    from conet.accounts.roles import forget_roles

    if user is not None:
        forget_roles(user)
    return user


def _state(workshop):
    workshop.refresh_from_db()
    return (
        workshop.version,
        workshop.locked,
        workshop.status,
        workshop.title,
        list(workshop.phases.values_list("state", "step", "timer_ends_at", "time_box_minutes")),
        list(Card.objects.values_list("text", "hidden", "cluster", "order")),
        list(Cluster.objects.values_list("title", "chosen", "version")),
        list(Participant.objects.values_list("removed")),
        Table.objects.count(),
        Proposal.objects.count(),
        WorkshopEvent.objects.count(),
    )


@pytest.fixture
def board(workshop):
    """The critique phase open in its writing step, a participant's card and a cluster."""
    critique = open_phase(workshop, "critique", step="write")
    participant, _ = join(workshop)
    card = Card.objects.create(
        workshop=workshop, phase=critique, participant=participant, text="Dark"
    )
    cluster = ClusterFactory(workshop=workshop, phase=critique, title="Safety")
    return {"critique": critique, "participant": participant, "card": card, "cluster": cluster}


def _critique(w):
    return w.phases.get(kind="critique")


CASES = {
    "table_add": (lambda w, b: ("table_add", []), {"name": "Table 9"},
                  lambda w: w.tables.filter(name="Table 9").exists()),
    "open_next_phase": (lambda w, b: ("phase", [w.phases.get(kind="fantasy").pk, "open"]), {},
                        lambda w: w.phases.get(kind="fantasy").state == "open"),
    "close_phase": (lambda w, b: ("phase", [_critique(w).pk, "close"]), {},
                    lambda w: _critique(w).state == "closed"),
    "step": (lambda w, b: ("phase", [_critique(w).pk, "step"]), {"step": "vote"},
             lambda w: _critique(w).step == "vote"),
    "timer": (lambda w, b: ("phase", [_critique(w).pk, "timer"]), {"minutes": "10"},
              lambda w: _critique(w).timer_ends_at is not None),
    "phase_settings": (lambda w, b: ("phase_settings", [w.phases.get(kind="fantasy").pk]),
                       {"time_box_minutes": "20", "dots_per_person": "5"},
                       lambda w: w.phases.get(kind="fantasy").time_box_minutes == 20),
    "lock": (lambda w, b: ("lock", []), {"locked": "1"}, lambda w: w.locked),
    "finish": (lambda w, b: ("finish", []), {}, lambda w: w.status == "finished"),
    "hide_card": (lambda w, b: ("card_hide", [b["card"].pk]), {"hidden": "1", "reason": "insult"},
                  lambda w: Card.objects.get().hidden),
    "move_card": (lambda w, b: ("card_move", [b["card"].pk]), lambda b: {"cluster": b["cluster"].pk},
                  lambda w: Card.objects.get().cluster is not None),
    "card_add": (lambda w, b: ("card_add", []), {"text": "From the paper board"},
                 lambda w: Card.objects.filter(text="From the paper board").exists()),
    "cluster_add": (lambda w, b: ("cluster_add", []), {"title": "Traffic"},
                    lambda w: Cluster.objects.filter(title="Traffic").exists()),
    "cluster_rename": (lambda w, b: ("cluster_edit", [b["cluster"].pk]), {"title": "Safety at night", "version": "1"},
                       lambda w: Cluster.objects.get().title == "Safety at night"),
    "cluster_choose": (lambda w, b: ("cluster_edit", [b["cluster"].pk]), {"chosen": "1", "version": "1"},
                       lambda w: Cluster.objects.get().chosen),
    "cluster_delete": (lambda w, b: ("cluster_delete", [b["cluster"].pk]), {},
                       lambda w: not Cluster.objects.exists()),
    "remove_participant": (lambda w, b: ("remove", [b["participant"].pk]), {},
                           lambda w: Participant.objects.get().removed),
    "settings": (lambda w, b: ("edit", []),
                 lambda b: {"title": "Renamed", "guiding_question": "Q?", "language": "en",
                            "starts_at": "2026-12-01T10:00", "place": "", "card_max_length": "140",
                            "anonymous_cards": "on", "version": "1"},
                 lambda w: w.title == "Renamed"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("case", "role", "outcome"),
    [(case, role, outcome) for case in CASES for role, outcome in outcome_table(RUNNERS).items()],
)
def test_facilitator_writes_follow_the_role_matrix(
    case, role, outcome, people, workshop, board, client_as
):
    url_of, data, changed = CASES[case]
    name, extra = url_of(workshop, board)
    url = reverse(f"workshops:{name}", args=[workshop.pk, *extra])
    data = data(board) if callable(data) else data
    before = _state(workshop)
    response = client_as(_fresh(people[role])).post(url, data)
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content.decode()[-1500:]
        workshop.refresh_from_db()
        assert changed(workshop), case
    else:
        assert_refused(response, outcome)
        assert _state(workshop) == before


def test_a_named_facilitator_without_a_role_may_run_that_workshop(
    workshop, board, named_facilitator, client_as
):
    url = reverse("workshops:lock", args=[workshop.pk])
    response = client_as(named_facilitator).post(url, {"locked": "1"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.locked


@pytest.mark.parametrize(("role", "outcome"), outcome_table(RUNNERS).items())
def test_setting_up_a_workshop_follows_the_role_matrix(role, outcome, people, city, client_as):
    url = reverse("workshops:create") + f"?city={city.pk}"
    data = {
        "title": "Lumea Nouă tomorrow", "guiding_question": "How do we want to live here?",
        "language": "ro", "starts_at": "2026-12-05T09:30", "place": "School no. 3",
        "anonymous_cards": "on", "card_max_length": "140", "critique_dots": "3",
        "fantasy_dots": "4", "critique_minutes": "15", "tables": "Blue\nGreen",
    }  # fmt: skip
    response = client_as(_fresh(people[role])).post(url, data)
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content.decode()[-1500:]
        workshop = Workshop.objects.get(title="Lumea Nouă tomorrow")
        assert workshop.city == city and workshop.code
        assert list(workshop.tables.values_list("name", flat=True)) == ["Blue", "Green"]
        phases = {p.kind: p for p in workshop.phases.all()}
        assert phases["critique"].time_box_minutes == 15 and phases["fantasy"].dots_per_person == 4
        assert people[role] in workshop.facilitators.all()
    else:
        assert_refused(response, outcome)
        assert not Workshop.objects.exists()


def test_a_refused_write_answers_json_to_the_board_script(workshop, board, facilitator, client_as):
    url = reverse("workshops:phase", args=[workshop.pk, board["critique"].pk, "open"])
    Phase.objects.filter(pk=board["critique"].pk).update(state="closed")
    response = client_as(facilitator).post(url, {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["error"] == "phase_closed"
    url = reverse("workshops:cluster_add", args=[workshop.pk])
    before = Cluster.objects.count()
    response = client_as(facilitator).post(url, {"table": "999999"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 422 and "table" in response.json()["fields"]
    assert Cluster.objects.count() == before


def test_visitor_sign_in_outcome_is_a_redirect():
    assert SIGN_IN == "sign_in"


@pytest.mark.parametrize("case", CASES)
def test_a_finished_workshop_refuses_every_facilitator_write(
    case, workshop, board, facilitator, client_as
):
    """Even its own facilitator changes nothing: the record stays as the workshop left it."""
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.FINISHED)
    url_of, data, _changed = CASES[case]
    name, extra = url_of(workshop, board)
    url = reverse(f"workshops:{name}", args=[workshop.pk, *extra])
    data = data(board) if callable(data) else data
    before = _state(workshop)
    response = client_as(facilitator).post(url, data, HTTP_ACCEPT="application/json")
    if case == "settings":  # a page, not a board write: back to the workshop, which says why
        assert response.status_code == 302 and response.url == workshop.get_absolute_url()
    elif case == "finish":  # ending it again is a no-op
        assert response.status_code == 200
    else:
        assert response.status_code == 409, (case, response.content)
        assert response.json()["error"] == "finished"
    assert _state(workshop) == before


def test_a_finished_workshop_shows_its_results_and_no_controls(
    workshop, board, facilitator, client_as
):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.FINISHED)
    client = client_as(facilitator)
    detail = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    board_page = client.get(reverse("workshops:board", args=[workshop.pk])).content.decode()
    projector = client.get(reverse("workshops:projector", args=[workshop.pk])).content.decode()
    assert (
        "Finished" in projector
        and reverse("workshops_machine:qr", args=[workshop.code]) not in projector
    )
    for html in (detail, board_page):
        assert "Finished" in html
        assert reverse("workshops:protocol", args=[workshop.pk]) in html
        for control in ("Lock the board", "Add cluster", "Add table", "End the workshop",
                        'id="connection"', reverse("workshops_machine:qr", args=[workshop.code])):  # fmt: skip
            assert control not in html, control
    # The same pages of a running workshop have them.
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.RUNNING)
    board_page = client.get(reverse("workshops:board", args=[workshop.pk])).content.decode()
    assert "Add cluster" in board_page and 'id="connection"' in board_page
