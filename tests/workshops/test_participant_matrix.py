"""Participants (no account, a device token) × what they do on the board: a participant of the
workshop may, where the phase allows it; a removed participant, one of another workshop, and
anyone while the board is locked or once the workshop has ended are refused, and nothing changes."""

import pytest

from conet.workshops import services
from conet.workshops.models import (
    Card,
    Cluster,
    Dot,
    Proposal,
    ProposalHelper,
    Workshop,
    WorkshopEvent,
)
from conet.workshops.rules import BoardRefusal
from tests.workshops.factories import ClusterFactory, WorkshopFactory, join, open_phase

WHO = {
    "participant": None,
    "removed": "removed",
    "other_workshop": "not_participant",
    "locked_board": "locked",
    "finished_workshop": "finished",
}


def _card(workshop, participant, board):
    services.post_card(workshop, participant=participant, text="Too much traffic")


def _dot(workshop, participant, board):
    services.place_dot(participant, board["cluster"])


def _cluster(workshop, participant, board):
    services.create_cluster(workshop, participant=participant, title="Mine")


def _move(workshop, participant, board):
    services.move_card(board["card"], cluster=board["cluster"], participant=participant)


def _proposal(workshop, participant, board):
    services.create_proposal(workshop, participant=participant, fields={"title": "Benches"})


def _help(workshop, participant, board):
    services.help_with_proposal(board["proposal"], participant=participant)


ACTIONS = {
    "card": ("critique", "write", _card),
    "dot": ("critique", "vote", _dot),
    "cluster": ("critique", "cluster", _cluster),
    "move": ("critique", "cluster", _move),
    "proposal": ("implementation", "write", _proposal),
    "help": ("implementation", "write", _help),
}


def _snapshot():
    return (
        list(Card.objects.values_list("text", "cluster")),
        Cluster.objects.count(),
        list(Dot.objects.values_list("count", flat=True)),
        Proposal.objects.count(),
        ProposalHelper.objects.count(),
        WorkshopEvent.objects.count(),
    )


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("action", ACTIONS)
def test_participant_actions_follow_the_matrix(action, who, workshop, facilitator):
    kind, step, do = ACTIONS[action]
    workshop.participants_may_cluster = True
    workshop.save()
    critique = workshop.phases.get(kind="critique")
    cluster = ClusterFactory(workshop=workshop, phase=critique)
    someone, _ = join(workshop, name="Someone")
    card = Card.objects.create(workshop=workshop, phase=critique, participant=someone, text="X")
    proposal = Proposal.objects.create(workshop=workshop, title="Lamps")
    board = {"cluster": cluster, "card": card, "proposal": proposal}
    open_phase(workshop, kind, step)
    if who == "other_workshop":
        participant, _ = join(WorkshopFactory(city=workshop.city), name="Stranger")
    else:
        participant, _ = join(workshop, name="Ana")
    if who == "removed":
        services.remove_participant(participant, by=facilitator)
    if who == "locked_board":
        services.set_locked(workshop, by=facilitator, locked=True)
    if who == "finished_workshop":
        Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.FINISHED)
    workshop.refresh_from_db()
    before = _snapshot()
    if WHO[who] is None:
        do(workshop, participant, board)
        assert _snapshot() != before
        assert WorkshopEvent.objects.count() == before[-1] + 1
    else:
        with pytest.raises(BoardRefusal) as refusal:
            do(workshop, participant, board)
        assert refusal.value.code == WHO[who]
        assert _snapshot() == before
