"""The phase rules, declared once in rules.PHASE_FEATURES: cards only where the phase allows,
dots within each person's budget, nothing after a phase closes, a locked board refuses writes.
A refused write stores nothing and numbers no event."""

import pytest
from django.core.exceptions import ValidationError

from conet.workshops import services
from conet.workshops.models import Card, Dot, Proposal, ProposalHelper, WorkshopEvent
from conet.workshops.rules import PHASE_FEATURES, BoardRefusal
from tests.workshops.factories import ClusterFactory, join, open_phase, phase


def _nothing_written(workshop, before_events: int) -> bool:
    return WorkshopEvent.objects.filter(workshop=workshop).count() == before_events


def _refused(code, call, workshop):
    before = WorkshopEvent.objects.filter(workshop=workshop).count()
    cards, dots = Card.objects.count(), sum(Dot.objects.values_list("count", flat=True))
    with pytest.raises(BoardRefusal) as refusal:
        call()
    assert refusal.value.code == code
    assert _nothing_written(workshop, before)
    assert Card.objects.count() == cards
    assert sum(Dot.objects.values_list("count", flat=True)) == dots


def test_every_phase_declares_what_it_allows():
    assert set(PHASE_FEATURES) == {"critique", "fantasy", "implementation"}
    assert "card" not in PHASE_FEATURES["implementation"]
    assert PHASE_FEATURES["critique"]["dot"] == {"vote"}


def test_no_card_before_the_workshop_starts(workshop):
    participant, _ = join(workshop)
    _refused(
        "phase_not_open",
        lambda: services.post_card(workshop, participant=participant, text="Dark streets"),
        workshop,
    )


def test_a_card_in_the_critique_writing_step_is_stored_and_numbered(workshop):
    participant, _ = join(workshop)
    open_phase(workshop, "critique")
    card, created = services.post_card(workshop, participant=participant, text="  Dark   streets ")
    assert created and card.text == "Dark streets"
    assert card.phase.kind == "critique"
    event = WorkshopEvent.objects.filter(workshop=workshop).latest("seq")
    assert (event.kind, event.payload["id"]) == ("card", card.pk)
    workshop.refresh_from_db()
    assert workshop.last_event_seq == event.seq


def test_no_card_while_voting(workshop):
    participant, _ = join(workshop)
    open_phase(workshop, "critique", step="vote")
    _refused(
        "not_in_this_phase",
        lambda: services.post_card(workshop, participant=participant, text="Late"),
        workshop,
    )


def test_no_card_in_the_implementation_phase(workshop):
    participant, _ = join(workshop)
    open_phase(workshop, "implementation")
    _refused(
        "not_in_this_phase",
        lambda: services.post_card(workshop, participant=participant, text="Late"),
        workshop,
    )


def test_nothing_after_a_phase_closes(workshop, facilitator):
    participant, _ = join(workshop)
    critique = open_phase(workshop, "critique", step="vote")
    cluster = ClusterFactory(workshop=workshop, phase=critique)
    services.close_phase(critique, by=facilitator)
    _refused("phase_closed", lambda: services.place_dot(participant, cluster), workshop)
    _refused(
        "phase_not_open",
        lambda: services.post_card(workshop, participant=participant, text="After"),
        workshop,
    )
    with pytest.raises(BoardRefusal):
        services.open_phase(critique, by=facilitator)


def test_opening_the_next_phase_closes_the_open_one(workshop, facilitator):
    critique = open_phase(workshop, "critique")
    fantasy = services.open_phase(phase(workshop, "fantasy"), by=facilitator)
    critique.refresh_from_db()
    assert (critique.state, fantasy.state) == ("closed", "open")
    assert critique.closed_at is not None and fantasy.opened_at is not None


def test_a_locked_board_refuses_cards_and_dots(workshop, facilitator):
    participant, _ = join(workshop)
    critique = open_phase(workshop, "critique")
    services.set_locked(workshop, by=facilitator, locked=True)
    _refused(
        "locked",
        lambda: services.post_card(workshop, participant=participant, text="Locked"),
        workshop,
    )
    services.set_locked(workshop, by=facilitator, locked=False)
    services.set_step(critique, by=facilitator, step="vote")
    cluster = ClusterFactory(workshop=workshop, phase=critique)
    services.set_locked(workshop, by=facilitator, locked=True)
    _refused("locked", lambda: services.place_dot(participant, cluster), workshop)


def test_a_removed_participant_can_no_longer_write(workshop, facilitator):
    participant, _ = join(workshop)
    open_phase(workshop, "critique")
    services.post_card(workshop, participant=participant, text="Before")
    services.remove_participant(participant, by=facilitator)
    _refused(
        "removed",
        lambda: services.post_card(workshop, participant=participant, text="After"),
        workshop,
    )
    assert Card.objects.filter(text="Before").exists()


def test_card_length_limit_names_the_field(workshop):
    participant, _ = join(workshop)
    open_phase(workshop, "critique")
    workshop.card_max_length = 20
    workshop.save()
    with pytest.raises(ValidationError) as error:
        services.post_card(workshop, participant=participant, text="x" * 21)
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.post_card(workshop, participant=participant, text="   ")
    assert not Card.objects.exists()


def test_a_card_sent_twice_with_the_same_client_id_is_stored_once(workshop):
    participant, _ = join(workshop)
    open_phase(workshop, "critique")
    first, created = services.post_card(
        workshop, participant=participant, text="Noise", client_id="c-1"
    )
    seq = WorkshopEvent.objects.count()
    again, created_again = services.post_card(
        workshop, participant=participant, text="Noise", client_id="c-1"
    )
    assert created and not created_again and first.pk == again.pk
    assert Card.objects.count() == 1 and WorkshopEvent.objects.count() == seq


def _voting(workshop, clusters=4, stacking=False):
    workshop.dots_stacking_allowed = stacking
    workshop.save()
    critique = open_phase(workshop, "critique", step="vote")
    return critique, [ClusterFactory(workshop=workshop, phase=critique) for _ in range(clusters)]


def test_no_dots_while_writing(workshop):
    participant, _ = join(workshop)
    critique = open_phase(workshop, "critique")
    cluster = ClusterFactory(workshop=workshop, phase=critique)
    _refused("not_in_this_phase", lambda: services.place_dot(participant, cluster), workshop)


def test_dots_within_the_budget_then_refused(workshop):
    participant, _ = join(workshop)
    critique, clusters = _voting(workshop)
    assert critique.dots_per_person == 3
    assert [services.place_dot(participant, c) for c in clusters[:3]] == [2, 1, 0]
    _refused("no_dots_left", lambda: services.place_dot(participant, clusters[3]), workshop)
    assert services.place_dot(participant, clusters[0], add=False) == 1
    assert services.place_dot(participant, clusters[3]) == 0


def test_one_dot_per_cluster_unless_stacking_is_allowed(workshop):
    participant, _ = join(workshop)
    _critique, clusters = _voting(workshop)
    services.place_dot(participant, clusters[0])
    _refused("no_stacking", lambda: services.place_dot(participant, clusters[0]), workshop)


def test_stacked_dots_count_against_the_budget(workshop):
    participant, _ = join(workshop)
    _critique, clusters = _voting(workshop, stacking=True)
    for _ in range(3):
        services.place_dot(participant, clusters[0])
    assert Dot.objects.get(participant=participant, cluster=clusters[0]).count == 3
    _refused("no_dots_left", lambda: services.place_dot(participant, clusters[1]), workshop)


def test_each_phase_has_its_own_budget(workshop, facilitator):
    participant, _ = join(workshop)
    _critique, clusters = _voting(workshop)
    for cluster in clusters[:3]:
        services.place_dot(participant, cluster)
    fantasy = services.open_phase(phase(workshop, "fantasy"), by=facilitator)
    services.set_step(fantasy, by=facilitator, step="vote")
    utopia = ClusterFactory(workshop=workshop, phase=fantasy)
    assert services.place_dot(participant, utopia) == fantasy.dots_per_person - 1


def test_dots_only_on_the_own_tables_clusters(workshop, tables):
    participant, _ = join(workshop, table=tables[0])
    critique = open_phase(workshop, "critique", step="vote")
    other = ClusterFactory(workshop=workshop, phase=critique, table=tables[1])
    _refused("other_table", lambda: services.place_dot(participant, other), workshop)


def test_fantasy_cards_answer_only_a_chosen_critique(workshop, facilitator):
    participant, _ = join(workshop)
    critique = phase(workshop, "critique")
    chosen = ClusterFactory(workshop=workshop, phase=critique, chosen=True)
    not_chosen = ClusterFactory(workshop=workshop, phase=critique)
    open_phase(workshop, "fantasy")
    card, _ = services.post_card(
        workshop, participant=participant, text="It would be nice if…", responds_to=chosen.pk
    )
    assert card.responds_to == chosen
    with pytest.raises(ValidationError):
        services.post_card(
            workshop, participant=participant, text="Other", responds_to=not_chosen.pk
        )


def test_proposals_and_help_only_in_the_implementation_phase(workshop):
    participant, _ = join(workshop)
    helper, _ = join(workshop, name="Bogdan")
    open_phase(workshop, "fantasy")
    _refused(
        "not_in_this_phase",
        lambda: services.create_proposal(workshop, participant=participant, fields={"title": "X"}),
        workshop,
    )
    open_phase(workshop, "implementation")
    proposal = services.create_proposal(
        workshop,
        participant=participant,
        fields={"title": "Lights in the park", "first_step": "Ask the city", "who_helps": "Us"},
    )
    assert services.help_with_proposal(proposal, participant=helper) is True
    services.help_with_proposal(proposal, participant=helper)  # twice: still one sign-up
    assert ProposalHelper.objects.filter(proposal=proposal).count() == 1
    with pytest.raises(ValidationError) as error:
        services.create_proposal(workshop, participant=participant, fields={"title": ""})
    assert "title" in error.value.message_dict
    assert Proposal.objects.count() == 1


def test_participants_cluster_only_where_the_workshop_allows(workshop):
    participant, _ = join(workshop)
    critique = open_phase(workshop, "critique", step="cluster")
    _refused(
        "facilitator_only",
        lambda: services.create_cluster(workshop, participant=participant, title="Safety"),
        workshop,
    )
    workshop.participants_may_cluster = True
    workshop.save()
    cluster = services.create_cluster(workshop, participant=participant, title="Safety")
    assert cluster.phase == critique
