"""The consultations demo: Palermo asks Ballarò's residents what the neighbourhood needs.

Thirty statements in Italian (the language they would be written in) and 300 generated participants
whose votes come from three planted camps — long-time residents and market traders, newcomers and
the associations that work with them, and those who want the old town opened to visitors — plus
common ground that all three share, in the consultation open now. Before it, in the autumn of
2009, the consultation whose statements led to the plan's actions (written in January 2010), closed
long since. `load_consultation_demo()` creates what is missing and changes nothing on a second run.
"""

from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from conet.accounts.models import User
from conet.consultations import services
from conet.consultations.models import Consultation, Participant, Statement, Vote
from conet.consultations.simulation import planted_conversation
from conet.core.demo import happened_on
from conet.networks.models import City, Network

SLUG = "ballaro"
QUESTION = "Che cosa serve a Ballarò nei prossimi cinque anni?"
DESCRIPTION = (
    "Il Gruppo di supporto locale di Palermo raccoglie le voci di chi vive e lavora a Ballarò prima "
    "del prossimo laboratorio. Leggi le affermazioni degli altri, vota d'accordo, in disaccordo o "
    "passa, e aggiungi la tua."
)

# Statement, then the stance of each camp: residents and traders, newcomers and associations,
# opening to visitors (+1 agree, −1 disagree).
STATEMENTS = [
    ("Di notte le strade del quartiere sono troppo buie: serve più illuminazione.", (1, 1, 1)),
    ("I rifiuti vanno raccolti ogni giorno, anche intorno al mercato.", (1, 1, 1)),
    ("Gli edifici abbandonati vanno recuperati prima che crollino.", (1, 1, 1)),
    ("Servono spazi sicuri dove i bambini possano giocare.", (1, 1, 1)),
    ("Il Comune deve coordinare i servizi invece di aprirne di nuovi a caso.", (1, 1, 1)),
    ("Il mercato deve restare come è sempre stato, senza bancarelle per turisti.", (1, 1, -1)),
    ("Più bed and breakfast porterebbero lavoro e sicurezza nel quartiere.", (-1, -1, 1)),
    ("Gli affitti brevi stanno cacciando le famiglie dal centro storico.", (1, 1, -1)),
    ("Le nuove comunità arrivate a Ballarò arricchiscono il quartiere.", (-1, 1, 1)),
    ("Servono corsi di italiano gratuiti per chi è appena arrivato.", (-1, 1, 1)),
    ("I commercianti storici dovrebbero pagare meno tasse per il suolo pubblico.", (1, -1, -1)),
    ("Serve più polizia in strada, soprattutto la sera.", (1, -1, 1)),
    ("Le associazioni del quartiere conoscono i problemi meglio del Comune.", (-1, 1, -1)),
    ("Un centro per i giovani aperto fino a tardi toglierebbe i ragazzi dalla strada.", (1, 1, -1)),
    ("Le piazze vanno chiuse alle auto e restituite ai pedoni.", (-1, 1, 1)),
    ("I parcheggi per chi lavora al mercato sono più importanti delle zone pedonali.", (1, -1, -1)),
    (
        "Le feste di quartiere dovrebbero essere organizzate da chi ci abita, non da fuori.",
        (1, 1, -1),
    ),
    ("Un ufficio del Comune nel quartiere renderebbe tutto più semplice.", (1, 1, 1)),
    ("Le botteghe artigiane vanno protette con affitti agevolati.", (1, 1, -1)),
    ("I murales e l'arte di strada rendono Ballarò più attraente.", (-1, 1, 1)),
    ("I locali notturni disturbano chi abita nel quartiere.", (1, -1, -1)),
    ("La scuola del quartiere ha bisogno di più insegnanti di sostegno.", (1, 1, 1)),
    ("I venditori ambulanti senza licenza vanno allontanati.", (1, -1, 1)),
    ("Le visite guidate al mercato portano soldi anche ai residenti.", (-1, -1, 1)),
    ("Le decisioni sul quartiere vanno prese in assemblee aperte a tutti.", (-1, 1, -1)),
    ("Servono più medici di base e un consultorio a Ballarò.", (1, 1, 1)),
    ("Le chiese e i palazzi storici vanno aperti ai visitatori tutto l'anno.", (-1, -1, 1)),
    ("Le case popolari vanno assegnate prima a chi è nato nel quartiere.", (1, -1, -1)),
    ("Un mercato biologico il sabato attirerebbe nuovi clienti.", (-1, 1, 1)),
    ("Ballarò ha bisogno di meno promesse e più lavori finiti.", (1, 1, 1)),
]
PENDING = [
    "Il mercato dovrebbe avere servizi igienici pubblici.",
    "Servono più cestini per la raccolta differenziata.",
]
REJECTED = ("Il vicino del terzo piano è un ladro.", "Accusa una persona riconoscibile.")
PARTICIPANTS = 300
GROUP_SHARES = [0.45, 0.3, 0.25]


# The consultation that came before the plan: in the autumn of 2009 the Local Support Group asked
# what had to change; the statements everyone agreed on became actions of the plan in January 2010
# (link_ballaro_story). Its statements are a part of the above (the first five in the same order).
HISTORY_SLUG = "ballaro-2009"
HISTORY_QUESTION = "Che cosa deve cambiare a Ballarò?"
HISTORY_DESCRIPTION = (
    "Prima di scrivere il Piano d'azione locale, il Gruppo di supporto locale chiede a chi vive e "
    "lavora a Ballarò che cosa deve cambiare. Le affermazioni condivise da tutti entreranno nel "
    "piano."
)
HISTORY_STATEMENTS = [STATEMENTS[i] for i in (0, 1, 2, 3, 4, 5, 7, 9, 11, 13, 17, 21, 25, 29)]
HISTORY_PARTICIPANTS = 120
HISTORY_OPENS = datetime(2009, 11, 2, 9, 0, tzinfo=UTC)
HISTORY_CLOSES = datetime(2009, 12, 13, 20, 0, tzinfo=UTC)


@transaction.atomic
def load_consultation_demo() -> bool:
    """Create the Ballarò consultations that are missing: the one open now, and the one of 2009 that
    the plan's actions came from; True when one was created."""
    palermo = City.objects.filter(slug="palermo").first()
    if palermo is None:
        return False
    network = Network.objects.filter(slug="conet", partnerships__city=palermo).first()
    coordinator = User.objects.filter(email="palermo@conet.example").first()
    created = False
    if not Consultation.objects.filter(slug=HISTORY_SLUG).exists():
        _load_conversation(
            Consultation(
                city=palermo,
                network=network,
                slug=HISTORY_SLUG,
                question=HISTORY_QUESTION,
                description=HISTORY_DESCRIPTION,
                opens_at=HISTORY_OPENS,
                closes_at=HISTORY_CLOSES,
            ),
            coordinator,
            HISTORY_STATEMENTS,
            HISTORY_PARTICIPANTS,
            seed=2009,
        )
        # As the record has it: set up the day before it opened, people joined as it opened.
        history = Consultation.objects.filter(slug=HISTORY_SLUG)
        history.update(created_at=HISTORY_OPENS - timedelta(days=1))
        Participant.objects.filter(consultation__in=history).update(created_at=HISTORY_OPENS)
        created = True
    if not Consultation.objects.filter(slug=SLUG).exists():
        now = timezone.now()
        consultation = _load_conversation(
            Consultation(
                city=palermo,
                network=network,
                slug=SLUG,
                question=QUESTION,
                description=DESCRIPTION,
                opens_at=now - timedelta(days=14),
                closes_at=now + timedelta(days=60),
            ),
            coordinator,
            STATEMENTS,
            PARTICIPANTS,
            seed=2010,
        )
        extra = [(text, Statement.Status.PENDING, "") for text in PENDING]
        extra.append((REJECTED[0], Statement.Status.REJECTED, REJECTED[1]))
        for offset, (text, status, reason) in enumerate(extra):
            Statement.objects.create(
                consultation=consultation,
                number=len(STATEMENTS) + offset,
                text=text,
                language="it",
                status=status,
                moderation_reason=reason,
                moderated_by=coordinator if reason else None,
                moderated_at=timezone.now() if reason else None,
            )
        created = True
    return created


def _load_conversation(
    consultation: Consultation, coordinator, statements_and_stances, participants: int, *, seed
) -> Consultation:
    """Store `consultation` with its statements and the planted camps' votes, spread over its
    first two weeks (or its whole time, if shorter), and compute its opinion groups."""
    opened = consultation.opens_at
    consultation.language = "it"
    consultation.moderation = Consultation.Moderation.AFTER
    consultation.created_by = coordinator
    consultation.save()
    statements = Statement.objects.bulk_create(
        Statement(
            consultation=consultation,
            number=number,
            text=text,
            language="it",
            is_seed=number < 10,
            status=Statement.Status.ACCEPTED,
            moderated_by=coordinator if number < 10 else None,
            moderated_at=opened if number < 10 else None,
            created_at=opened + timedelta(hours=number),
        )
        for number, (text, _stances) in enumerate(statements_and_stances)
    )
    stances = np.array([s for _text, s in statements_and_stances]).T
    planted = planted_conversation(
        participants,
        len(statements_and_stances),
        n_groups=3,
        vote_share=0.55,
        pass_share=0.12,
        loyalty=0.88,
        group_shares=GROUP_SHARES,
        stances=stances,
        seed=seed,
    )
    people = Participant.objects.bulk_create(
        Participant(
            consultation=consultation,
            device_hash=Participant.hash_device(f"demo-{consultation.slug}-{n}"),
        )
        for n in range(participants)
    )
    table = planted.table
    span = min(timedelta(days=14), (consultation.closes_at or opened) - opened) or timedelta(
        days=14
    )
    step = span / max(table.vote_count, 1)
    order = np.random.default_rng(seed).permutation(table.vote_count)
    Vote.objects.bulk_create(
        (
            Vote(
                participant=people[table.participant_ids[table.rows[i]]],
                statement=statements[table.statement_ids[table.cols[i]]],
                value=int(table.values[i]),
                created_at=opened + step * rank,
            )
            for rank, i in enumerate(order)
        ),
        batch_size=2000,
    )
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=table.vote_count)
    services.recompute(consultation)
    return consultation


# Statement number of the 2009 consultation → the number of the Ballarò plan's action it led to,
# recorded when the actions were written (conet/actionplans/demo.py).
LED_TO = {4: 1, 2: 3, 0: 4}
ACTIONS_WRITTEN = date(2010, 1, 20)


@transaction.atomic
def link_ballaro_story() -> bool:
    """Link the statements of Ballarò's 2009 consultation to the plan actions they led to (after
    the action-plan demo): the consultation closed before the actions were written in January
    2010, so the focus area's story reads in order. True when a link was made."""
    from conet.actionplans.models import Action

    consultation = Consultation.objects.filter(slug=HISTORY_SLUG).first()
    coordinator = User.objects.filter(email="palermo@conet.example").first()
    if consultation is None or coordinator is None:
        return False
    actions = {
        action.number: action
        for action in Action.objects.filter(
            plan__partnership__city=consultation.city, plan__partnership__network__slug="conet"
        )
    }
    created = False
    with happened_on(ACTIONS_WRITTEN):
        for statement in consultation.statements.filter(number__in=LED_TO):
            action = actions.get(LED_TO[statement.number])
            if action is not None and not statement.actions.filter(pk=action.pk).exists():
                services.link_statement_to_action(statement, action, by=coordinator)
                created = True
    return created
