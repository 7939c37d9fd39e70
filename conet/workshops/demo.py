"""The workshop demo: Alba Iulia's Future Workshop on Lumea Nouă, 27–28 May 2010, and one to run now.

Residents of Lumea Nouă wrote critique cards in Romanian and English at two tables, clustered and
dotted them, turned the chosen critiques into utopias ("Ar fi frumos dacă…", "It would be nice
if…") and the chosen utopias into proposals; one proposal, the after-school programme, is promoted
into Alba Iulia's draft Local Action Plan (loaded by the action-plan demo, which runs first). The
record is built row by row with the times of the day, then finished; loading it twice changes
nothing. Register with `register_demo("workshops", load="conet.workshops.demo.load_workshops_demo",
order=45)` (after the action plans, order 40).

Beside that record, a second workshop of Alba Iulia waits in preparation (in Romanian, on a park
for Lumea Nouă), set up for the coming hour of the day the demo is loaded: signed in as Alba
Iulia's coordinator, a newcomer opens it, shows its code and runs it live at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from conet.accounts.models import User
from conet.actionplans.models import LocalActionPlan
from conet.networks.models import City, Network
from conet.workshops import followup, rules, services
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

TITLE = "Viitorul cartierului Lumea Nouă / The future of Lumea Nouă"
OPEN_TITLE = "Un parc pentru Lumea Nouă"
OPEN_WORKSHOP = {
    "title": OPEN_TITLE,
    "guiding_question": "Ce ar trebui să aibă parcul din Lumea Nouă pentru copii și vârstnici?",
    "language": "ro",
    "place": "Centrul comunitar Lumea Nouă, Alba Iulia",
    "anonymous_cards": True,
    "card_max_length": 140,
    "dots_stacking_allowed": False,
    "participants_may_cluster": False,
}


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    # Alba Iulia is UTC+3 in May (EEST).
    return datetime(2010, 5, day, hour - 3, minute, tzinfo=UTC)


PEOPLE = [
    # (display name, table, anonymous)
    ("Ana", 0, False), ("Bogdan", 0, False), ("Cristina", 0, False), ("Florin", 0, True),
    ("Elena", 1, False), ("Gheorghe", 1, False), ("Ioana", 1, False), ("Marius", 1, True),
    ("Sarah (Peace Corps)", 0, False), ("Tom (volunteer)", 1, False),
]  # fmt: skip

# Critique: cluster title → chosen, [(author index, text)], dots [(author index, count)]
CRITIQUE = {
    "Străzi întunecate și nesigure": (
        True,
        [
            (0, "Străzile din Lumea Nouă sunt întunecate noaptea"),
            (1, "Ne este frică să ieșim din casă seara"),
            (8, "Half the street lamps do not work after dark"),
            (4, "Becurile de pe stâlpi sunt arse de luni de zile"),
        ],
        [(0, 2), (1, 1), (4, 2), (6, 1), (8, 1)],
    ),
    "Copiii abandonează școala": (
        True,
        [
            (5, "Mulți copii abandonează școala după clasa a patra"),
            (6, "Elevii din cartier nu primesc ajutor la teme"),
            (9, "Many children drop out of school early"),
            (2, "Părinții nu își trimit copiii la școală"),
        ],
        [(2, 2), (5, 2), (6, 1), (7, 1), (9, 2)],
    ),
    "Drumuri neasfaltate": (
        False,
        [
            (3, "Drumurile nu sunt asfaltate și se fac noroaie"),
            (7, "The roads turn to mud when it rains"),
        ],
        [(3, 2), (7, 1)],
    ),
    "Gunoi și lipsa locurilor de muncă": (
        False,
        [
            (4, "Gunoiul nu este ridicat la timp"),
            (1, "Nu există locuri de muncă pentru oamenii din cartier"),
        ],
        [(1, 1), (4, 1)],
    ),
}
CRITIQUE_UNSORTED = [(9, "No playground for the small children")]
HIDDEN_CARD = (3, "Vecinul de la nr. 12 e de vină pentru tot", "names a neighbour")

# Fantasy: cluster title → chosen, critique answered, [(author index, text)], dots
FANTASY = {
    "Străzi luminate și sigure": (
        True,
        "Străzi întunecate și nesigure",
        [
            (0, "Ar fi frumos dacă fiecare stradă ar avea lumină toată noaptea"),
            (8, "It would be nice if solar lamps lit the path from the bus stop"),
            (1, "Ar fi frumos dacă vecinii ar patrula împreună cu poliția comunitară"),
        ],
        [(0, 2), (1, 1), (8, 2), (4, 1)],
    ),
    "O școală care îi ține pe copii": (
        True,
        "Copiii abandonează școala",
        [
            (6, "Ar fi frumos dacă ar exista un program after-school la Școala nr. 6"),
            (9, "It would be nice if older pupils tutored the younger ones"),
            (5, "Ar fi frumos dacă mediatorul școlar ar vizita familiile"),
        ],
        [(2, 2), (5, 2), (6, 2), (9, 1), (7, 1)],
    ),
}

PROPOSALS = [
    {
        "utopia": "O școală care îi ține pe copii",
        "table": 1,
        "title": "Program after-school la Școala nr. 6",
        "what": "Ajutor la teme și o masă caldă pentru 40 de elevi, de luni până vineri, 14–17.",
        "who_helps": "Școala nr. 6, mediatorul școlar, voluntari Peace Corps, părinți",
        "start_when": "Septembrie 2010, cu anul școlar",
        "first_step": "Directoarea și mediatorul fac lista elevilor cu risc de abandon (iunie).",
        "resources": "O sală a școlii, 2 profesori plătiți din bugetul local, 4 voluntari",
        "obstacles": "Finanțarea mesei calde după primul an",
        "helpers": [2, 5, 6, 9],
        "promote": True,
    },
    {
        "utopia": "Străzi luminate și sigure",
        "table": 0,
        "title": "Solar street lamps on the streets without light",
        "what": "Twenty solar lamps on the four streets of Lumea Nouă that have none.",
        "who_helps": "Town hall (public lighting), residents' association",
        "start_when": "Spring 2011",
        "first_step": "Residents map the dark streets and broken lamps on a walk in June.",
        "resources": "About EUR 15,000; residents watch over the panels",
        "obstacles": "Theft of the panels; who pays for maintenance",
        "helpers": [0, 1, 8],
        "promote": False,
    },
]


def _phase(workshop, kind, order, opened, closed, dots, time_box=None):
    return Phase.objects.create(
        workshop=workshop, kind=kind, order=order, state=Phase.State.CLOSED, step=Phase.Step.VOTE,
        dots_per_person=dots, time_box_minutes=time_box, opened_at=opened, closed_at=closed,
    )  # fmt: skip


BALLARO_TITLE = "Ballarò: il quartiere che vogliamo"
BALLARO_PROPOSAL = {
    "title": "Doposcuola nell'oratorio",
    "what": "Un doposcuola tre pomeriggi a settimana nell'oratorio della parrocchia di Ballarò.",
    "who_helps": "La parrocchia, due insegnanti in pensione, le associazioni dei nuovi arrivati.",
    "start_when": "Ottobre 2010, con l'anno scolastico",
    "first_step": "Chiedere alla parrocchia le sale del pomeriggio.",
}


def _load_ballaro_workshop() -> bool:
    """Palermo's Future Workshop in Ballarò (March 2010), whose proposal for an after-school club
    is action 5 of the Ballarò plan. The plan was approved long since when the demo loads, so the
    proposal is tied to the action as the record has it, not promoted through the draft again."""
    from conet.actionplans.models import Action

    city = City.objects.filter(slug="palermo").first()
    coordinator = User.objects.filter(email="palermo@conet.example").first()
    if (
        city is None
        or coordinator is None
        or Workshop.objects.filter(city=city, title=BALLARO_TITLE).exists()
    ):
        return False
    workshop = Workshop.objects.create(
        city=city,
        network=Network.objects.filter(slug="conet").first(),
        title=BALLARO_TITLE,
        guiding_question="Che cosa vorremmo per i bambini di Ballarò?",
        language="it",
        starts_at=datetime(2010, 3, 20, 8, 30, tzinfo=UTC),
        place="Oratorio di Santa Chiara, Ballarò, Palermo",
        created_by=coordinator,
        status=Workshop.Status.FINISHED,
    )
    workshop.facilitators.add(coordinator)
    day = datetime(2010, 3, 20, tzinfo=UTC)
    _phase(workshop, Phase.Kind.IMPLEMENTATION, 0, day.replace(hour=9), day.replace(hour=12), 0)
    action = Action.objects.filter(
        plan__partnership__city=city, plan__partnership__network__slug="conet", number=5
    ).first()
    Proposal.objects.create(
        workshop=workshop, action=action, created_by=coordinator, **BALLARO_PROPOSAL
    )
    return True


@transaction.atomic
def load_workshops_demo() -> bool:
    """Create the Lumea Nouă and Ballarò workshops that are missing; True when one was created."""
    created = _load_ballaro_workshop()
    city = City.objects.filter(slug="alba-iulia").first()
    coordinator = User.objects.filter(email="albaiulia@conet.example").first()
    if city is None or coordinator is None:
        return created
    if not Workshop.objects.filter(city=city, title=TITLE).exists():
        _load_finished_workshop(city, coordinator)
        created = True
    if not Workshop.objects.filter(city=city, title=OPEN_TITLE).exists():
        _load_workshop_to_run(city, coordinator)
        created = True
    return created


def _load_workshop_to_run(city: City, coordinator: User) -> Workshop:
    """In preparation, its phases not started: the coordinator opens the critique when ready."""
    starts_at = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return services.create_workshop(
        by=coordinator,
        city=city,
        data={**OPEN_WORKSHOP, "starts_at": starts_at},
        phases={
            "critique": {"time_box_minutes": 15, "dots_per_person": 3},
            "fantasy": {"time_box_minutes": 15, "dots_per_person": 3},
            "implementation": {"time_box_minutes": 30, "dots_per_person": 0},
        },
    )


def describe_workshops_demo(created: bool) -> list[str]:
    """Printed on every start: where to run the workshop live, and the code residents type."""
    workshop = Workshop.objects.filter(title=OPEN_TITLE, city__slug="alba-iulia").first()
    if workshop is None:
        return []
    if workshop.status == Workshop.Status.FINISHED:
        return [f"Future Workshops: {workshop.get_absolute_url()} (finished; see its protocol)."]
    return [
        f"Future Workshop to run live: {workshop.get_absolute_url()} as albaiulia@conet.example; "
        f"residents join at /join/ with the code {workshop.code}.",
    ]


def _load_finished_workshop(city: City, coordinator: User) -> None:
    workshop = Workshop.objects.create(
        city=city,
        title=TITLE,
        guiding_question="Ce vă deranjează în Lumea Nouă? / What bothers you in Lumea Nouă?",
        language="ro",
        starts_at=_at(27, 9),
        place="Școala Gimnazială nr. 6, Lumea Nouă, Alba Iulia",
        anonymous_cards=False,
        created_by=coordinator,
        status=Workshop.Status.FINISHED,
    )
    workshop.facilitators.add(coordinator)
    tables = [
        Table.objects.create(workshop=workshop, name=name, order=n)
        for n, name in enumerate(["Masa 1 (tineri)", "Masa 2 (părinți)"])
    ]
    people = [
        Participant.objects.create(
            workshop=workshop,
            table=tables[table],
            display_name=name,
            anonymous=anonymous,
            token_hash=f"demo-lumea-noua-{n}",
        )
        for n, (name, table, anonymous) in enumerate(PEOPLE)
    ]
    critique = _phase(workshop, Phase.Kind.CRITIQUE, 0, _at(27, 9, 30), _at(27, 11), 3, 15)
    fantasy = _phase(workshop, Phase.Kind.FANTASY, 1, _at(27, 11, 30), _at(27, 13), 3, 20)
    _phase(workshop, Phase.Kind.IMPLEMENTATION, 2, _at(28, 9, 30), _at(28, 12, 30), 0)

    critiques = {}
    for order, (title, (chosen, cards, dots)) in enumerate(CRITIQUE.items()):
        cluster = Cluster.objects.create(
            workshop=workshop, phase=critique, title=title, chosen=chosen, order=order,
            suggested=order < 2,
        )  # fmt: skip
        critiques[title] = cluster
        for position, (who, text) in enumerate(cards):
            Card.objects.create(
                workshop=workshop, phase=critique, table=people[who].table, participant=people[who],
                text=text, cluster=cluster, order=position,
            )  # fmt: skip
        for who, count in dots:
            Dot.objects.create(
                participant=people[who], cluster=cluster, phase=critique, count=count
            )
    for who, text in CRITIQUE_UNSORTED:
        Card.objects.create(
            workshop=workshop, phase=critique, table=people[who].table, participant=people[who], text=text
        )  # fmt: skip
    who, text, reason = HIDDEN_CARD
    Card.objects.create(
        workshop=workshop, phase=critique, table=people[who].table, participant=people[who],
        text=text, hidden=True, hidden_reason=reason, hidden_by=coordinator,
    )  # fmt: skip

    utopias = {}
    for order, (title, (chosen, answers, cards, dots)) in enumerate(FANTASY.items()):
        cluster = Cluster.objects.create(
            workshop=workshop, phase=fantasy, title=title, chosen=chosen, order=order
        )
        utopias[title] = cluster
        for position, (who, text) in enumerate(cards):
            Card.objects.create(
                workshop=workshop, phase=fantasy, table=people[who].table, participant=people[who],
                text=text, cluster=cluster, responds_to=critiques[answers], order=position,
            )  # fmt: skip
        for who, count in dots:
            Dot.objects.create(participant=people[who], cluster=cluster, phase=fantasy, count=count)

    plan = LocalActionPlan.objects.filter(partnership__city=city).first()
    for order, spec in enumerate(PROPOSALS):
        proposal = Proposal.objects.create(
            workshop=workshop, cluster=utopias[spec["utopia"]], table=tables[spec["table"]],
            title=spec["title"], what=spec["what"], who_helps=spec["who_helps"],
            start_when=spec["start_when"], first_step=spec["first_step"],
            resources=spec["resources"], obstacles=spec["obstacles"], order=order,
            created_by=coordinator,
        )  # fmt: skip
        for who in spec["helpers"]:
            ProposalHelper.objects.create(proposal=proposal, participant=people[who])
        if spec["promote"] and plan is not None and rules.may_promote(coordinator, workshop, plan):
            followup.promote_proposal_to_action(
                proposal, plan, by=coordinator, expected_version=proposal.version
            )
    if rules.runs(coordinator, workshop):
        from conet.core.photos import services as photos
        from conet.core.photos.demo import drawn_board

        photos.add_photo(
            workshop,
            drawn_board(),
            by=coordinator,
            alt_text="Desen: o tablă de hârtie cu cartonașe grupate pe trei coloane și buline roșii",
            caption="Tabla critică (desen pentru demonstrație)",
        )
