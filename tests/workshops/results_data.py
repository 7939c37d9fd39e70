"""A small workshop with a full record, built row by row, for the results tests (protocol,
follow-up, API): a closed critique and fantasy, an implementation with one proposal."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from conet.workshops.models import (
    Card,
    Cluster,
    Dot,
    Participant,
    Phase,
    Proposal,
    ProposalHelper,
    Table,
    Workshop,
)

STARTS = datetime(2010, 5, 27, 9, 0, tzinfo=UTC)
HIDDEN_TEXT = "Insult aimed at a neighbour"


@dataclass
class Record:
    workshop: Workshop
    critique: Phase
    fantasy: Phase
    implementation: Phase
    table: Table
    participants: list[Participant]
    dark: Cluster  # critique, chosen, 5 dots
    rubbish: Cluster  # critique, 2 dots
    lit: Cluster  # utopia, chosen, 4 dots
    critique_cards: list[Card]
    fantasy_cards: list[Card]
    hidden: Card
    proposal: Proposal


def build_workshop(
    *,
    city=None,
    network=None,
    by=None,
    finished: bool = True,
    anonymous: bool = False,
    extra_cards: int = 0,
) -> Record:
    workshop = Workshop.objects.create(
        city=city,
        network=network,
        title="Lumea Nouă: our neighbourhood",
        guiding_question="What bothers you in Lumea Nouă?",
        language="ro",
        starts_at=STARTS,
        place="Școala Gimnazială nr. 6",
        anonymous_cards=anonymous,
        created_by=by,
        status=Workshop.Status.FINISHED if finished else Workshop.Status.RUNNING,
    )
    if by is not None:
        workshop.facilitators.add(by)
    closed = Phase.State.CLOSED
    critique = Phase.objects.create(
        workshop=workshop, kind=Phase.Kind.CRITIQUE, order=0, state=closed, time_box_minutes=15,
        opened_at=STARTS, closed_at=STARTS + timedelta(minutes=50),
    )  # fmt: skip
    fantasy = Phase.objects.create(
        workshop=workshop, kind=Phase.Kind.FANTASY, order=1, state=closed,
        opened_at=STARTS + timedelta(hours=1), closed_at=STARTS + timedelta(hours=2, minutes=5),
    )  # fmt: skip
    implementation = Phase.objects.create(
        workshop=workshop, kind=Phase.Kind.IMPLEMENTATION, order=2, dots_per_person=0,
        state=closed if finished else Phase.State.OPEN,
        opened_at=STARTS + timedelta(hours=3),
        closed_at=STARTS + timedelta(hours=4) if finished else None,
    )  # fmt: skip
    table = Table.objects.create(workshop=workshop, name="Masa 1")
    participants = [
        Participant.objects.create(
            workshop=workshop, table=table, display_name=name, token_hash=f"{workshop.pk}-{name}"
        )
        for name in ["Ana", "Bogdan", "Carmen"]
    ]
    ana, bogdan, carmen = participants
    dark = Cluster.objects.create(
        workshop=workshop, phase=critique, table=table, title="Străzi întunecate", chosen=True
    )
    rubbish = Cluster.objects.create(
        workshop=workshop, phase=critique, table=table, title="Gunoi", order=1
    )
    texts = [
        ("Străzile sunt întunecate noaptea", dark, ana),
        ("Half the street lamps are broken", dark, bogdan),
        ("Gunoiul nu este ridicat la timp", rubbish, carmen),
        ("Nu avem unde să ne jucăm", None, ana),
    ] + [(f"Extra critique card {n}", None, bogdan) for n in range(extra_cards)]
    critique_cards = [
        Card.objects.create(
            workshop=workshop,
            phase=critique,
            table=table,
            participant=who,
            text=text,
            cluster=cluster,
            order=n,
        )
        for n, (text, cluster, who) in enumerate(texts)
    ]
    hidden = Card.objects.create(
        workshop=workshop, phase=critique, table=table, participant=carmen, text=HIDDEN_TEXT,
        hidden=True, hidden_reason="personal attack", cluster=rubbish, order=9,
    )  # fmt: skip
    for who, cluster, count in [(ana, dark, 2), (bogdan, dark, 3), (carmen, rubbish, 2)]:
        Dot.objects.create(participant=who, cluster=cluster, phase=critique, count=count)
    lit = Cluster.objects.create(
        workshop=workshop, phase=fantasy, table=table, title="Lumină pe fiecare stradă", chosen=True
    )
    fantasy_cards = [
        Card.objects.create(
            workshop=workshop,
            phase=fantasy,
            table=table,
            participant=who,
            text=text,
            cluster=lit,
            responds_to=dark,
            order=n,
        )
        for n, (text, who) in enumerate(
            [
                ("Ar fi frumos dacă fiecare stradă ar avea lumină", ana),
                ("It would be nice if solar lamps lit every path", bogdan),
            ]
        )
    ]
    for who, count in [(ana, 3), (carmen, 1)]:
        Dot.objects.create(participant=who, cluster=lit, phase=fantasy, count=count)
    proposal = Proposal.objects.create(
        workshop=workshop, cluster=lit, table=table, title="Solar lamps on Strada Lalelelor",
        what="Twenty solar lamps along the path to the school", who_helps="Residents' association",
        start_when="September 2010", first_step="Ask the town hall for the map of the cables",
        resources="EUR 12,000 from the town budget", obstacles="Theft of the panels",
    )  # fmt: skip
    for who in [ana, carmen]:
        ProposalHelper.objects.create(proposal=proposal, participant=who)
    return Record(
        workshop=workshop, critique=critique, fantasy=fantasy, implementation=implementation,
        table=table, participants=participants, dark=dark, rubbish=rubbish, lit=lit,
        critique_cards=critique_cards, fantasy_cards=fantasy_cards, hidden=hidden,
        proposal=proposal,
    )  # fmt: skip
