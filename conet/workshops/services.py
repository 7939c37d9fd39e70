"""Every write to a Future Workshop: one function per use case, one transaction each.

Each write appends a numbered event to the workshop's log in its transaction (`events.emit`), which
is broadcast to the screens after commit. Facilitators act as users (`by=`) and are checked against
`rules.py`'s permissions; participants act through their `Participant` row and are checked against
the phase rules (`rules.check_participant`). A refused write raises and changes nothing.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from conet.accounts.personal_data import ERASED_PREFIX, unlinkable_hash
from conet.core import audit
from conet.core.activity import record_activity
from conet.core.concurrency import update_versioned
from conet.core.permissions import require
from conet.workshops import limits, selectors
from conet.workshops.events import emit, tell_participant
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
    WorkshopEvent,
    new_join_code,
)
from conet.workshops.rules import (
    BoardRefusal,
    check_board_write,
    check_not_finished,
    check_participant,
)

WORKSHOP_FIELDS = [
    "title", "guiding_question", "language", "starts_at", "place", "anonymous_cards",
    "card_max_length", "dots_stacking_allowed", "participants_may_cluster", "localgroup",
]  # fmt: skip
PROPOSAL_FIELDS = [
    "title", "what", "who_helps", "start_when", "first_step", "resources", "obstacles", "cluster",
]  # fmt: skip
PHASE_ORDER = [Phase.Kind.CRITIQUE, Phase.Kind.FANTASY, Phase.Kind.IMPLEMENTATION]
PROPOSAL_MAX_LENGTH = 2000


def _history(workshop: Workshop, kind: str, by, **data) -> None:
    record_activity(
        kind=kind,
        scope=workshop,
        actor=by,
        data={"actor": str(by) if by else "", "workshop": workshop.title, **data},
        public=False,
    )


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def _locked_workshop(workshop_id: int) -> Workshop:
    """The workshop as stored now, its row held until commit (writes on one board queue up)."""
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def _open_phase(workshop: Workshop) -> Phase | None:
    return Phase.objects.filter(workshop=workshop, state=Phase.State.OPEN).order_by().first()


# Setting up --------------------------------------------------------------------------------------


@transaction.atomic
def create_workshop(
    *, by, city=None, network=None, data: dict, phases: dict | None = None, tables=()
) -> Workshop:
    """A workshop for a city (its Local Support Group) or a network meeting, with its three phases.

    `phases` maps a phase kind to {"time_box_minutes": …, "dots_per_person": …}.
    """
    if city is None and network is None:
        raise ValidationError(_("A workshop belongs to a city or a network."))
    workshop = Workshop(city=city, network=network, created_by=by)
    require(by, "workshops.create_workshop", workshop)
    for name in WORKSHOP_FIELDS:
        if name in data:
            setattr(workshop, name, data[name])
    workshop.full_clean(exclude=["code"], validate_unique=False, validate_constraints=False)
    for _attempt in range(5):
        workshop.code = new_join_code()
        if not Workshop.objects.filter(code=workshop.code).exists():
            break
    workshop.save()
    workshop.facilitators.add(by)
    phases = phases or {}
    for order, kind in enumerate(PHASE_ORDER):
        settings_ = phases.get(kind, {})
        phase = Phase(
            workshop=workshop,
            kind=kind,
            order=order,
            time_box_minutes=settings_.get("time_box_minutes"),
            dots_per_person=settings_.get(
                "dots_per_person", 0 if kind == Phase.Kind.IMPLEMENTATION else 3
            ),
        )
        phase.full_clean(exclude=["workshop"], validate_constraints=False)
        phase.save()
    for order, name in enumerate(name for name in tables if name.strip()):
        Table.objects.create(workshop=workshop, name=name.strip()[:80], order=order)
    _history(workshop, "workshop.created", by)
    return workshop


@transaction.atomic
def update_workshop(workshop: Workshop, *, by, expected_version: int, changes: dict) -> Workshop:
    require(by, "workshops.facilitate", workshop)
    changes = {name: value for name, value in changes.items() if name in WORKSHOP_FIELDS}
    stored = Workshop.objects.get(pk=workshop.pk)
    check_not_finished(stored)
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["code"], validate_unique=False, validate_constraints=False)
    workshop = update_versioned(workshop, expected_version, changes)
    emit(workshop.pk, "workshop", selectors.workshop_data(workshop))
    return workshop


@transaction.atomic
def update_phase_settings(phase: Phase, *, by, time_box_minutes, dots_per_person: int) -> Phase:
    workshop = _locked_workshop(phase.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    if phase.state == Phase.State.CLOSED:
        raise BoardRefusal("phase_closed", _("This phase is closed."))
    phase.time_box_minutes = time_box_minutes
    phase.dots_per_person = dots_per_person
    phase.full_clean(exclude=["workshop"], validate_constraints=False)
    phase.save(update_fields=["time_box_minutes", "dots_per_person"])
    emit(phase.workshop_id, "phase", selectors.phase_data(phase))
    return phase


@transaction.atomic
def add_table(workshop: Workshop, *, by, name: str) -> Table:
    workshop = _locked_workshop(workshop.pk)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the table a name.")})
    if workshop.tables.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a table with this name.")})
    order = (workshop.tables.aggregate(n=Max("order"))["n"] or 0) + 1
    table = Table.objects.create(workshop=workshop, name=name[:80], order=order)
    emit(workshop.pk, "table", {"id": table.pk, "name": table.name})
    return table


@transaction.atomic
def add_facilitator(workshop: Workshop, *, by, user) -> None:
    require(by, "workshops.manage_workshop", workshop)
    workshop.facilitators.add(user)
    _history(workshop, "workshop.facilitator_added", by, facilitator=str(user))


# Running the phases ------------------------------------------------------------------------------


def _phase_event(phase: Phase) -> None:
    emit(phase.workshop_id, "phase", selectors.phase_data(phase))


@transaction.atomic
def open_phase(phase: Phase, *, by) -> Phase:
    """Start a phase; the one open before it closes. A closed phase never opens again."""
    workshop = _locked_workshop(phase.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    phase = Phase.objects.get(pk=phase.pk)
    if phase.state == Phase.State.CLOSED:
        raise BoardRefusal("phase_closed", _("A closed phase cannot be opened again."))
    if phase.state == Phase.State.OPEN:
        return phase
    now = timezone.now()
    for other in workshop.phases.filter(state=Phase.State.OPEN):
        other.state, other.closed_at = Phase.State.CLOSED, now
        other.save(update_fields=["state", "closed_at"])
        _phase_event(other)
    phase.state, phase.step, phase.opened_at = Phase.State.OPEN, Phase.Step.WRITE, now
    if phase.kind == Phase.Kind.IMPLEMENTATION:
        phase.step = Phase.Step.WRITE
    phase.timer_ends_at = (
        now + timezone.timedelta(minutes=phase.time_box_minutes) if phase.time_box_minutes else None
    )
    phase.save(update_fields=["state", "step", "opened_at", "timer_ends_at"])
    if workshop.status != Workshop.Status.RUNNING:
        workshop.status = Workshop.Status.RUNNING
        workshop.save(update_fields=["status", "updated_at"])
        emit(workshop.pk, "workshop", selectors.workshop_data(workshop))
    _phase_event(phase)
    _history(workshop, "workshop.phase_opened", by, phase=phase.get_kind_display())
    return phase


@transaction.atomic
def set_step(phase: Phase, *, by, step: str) -> Phase:
    """Writing → clustering → dot voting, within an open phase (the facilitator may go back)."""
    workshop = _locked_workshop(phase.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    phase = Phase.objects.get(pk=phase.pk)
    if step not in Phase.Step.values:
        raise ValidationError({"step": _("Unknown step.")})
    if phase.state != Phase.State.OPEN:
        raise BoardRefusal("phase_not_open", _("Open the phase first."))
    phase.step = step
    phase.save(update_fields=["step"])
    _phase_event(phase)
    return phase


@transaction.atomic
def set_timer(phase: Phase, *, by, minutes: int | None) -> Phase:
    """Start the phase's countdown afresh with `minutes`, or stop it (None)."""
    workshop = _locked_workshop(phase.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    phase = Phase.objects.get(pk=phase.pk)
    if phase.state != Phase.State.OPEN:
        raise BoardRefusal("phase_not_open", _("Open the phase first."))
    if minutes is not None and not 0 < minutes <= 600:
        raise ValidationError({"minutes": _("Between 1 and 600 minutes.")})
    phase.timer_ends_at = timezone.now() + timezone.timedelta(minutes=minutes) if minutes else None
    phase.save(update_fields=["timer_ends_at"])
    _phase_event(phase)
    return phase


@transaction.atomic
def close_phase(phase: Phase, *, by) -> Phase:
    workshop = _locked_workshop(phase.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    phase = Phase.objects.get(pk=phase.pk)
    if phase.state != Phase.State.OPEN:
        raise BoardRefusal("phase_not_open", _("This phase is not open."))
    phase.state, phase.closed_at, phase.timer_ends_at = Phase.State.CLOSED, timezone.now(), None
    phase.save(update_fields=["state", "closed_at", "timer_ends_at"])
    _phase_event(phase)
    _history(workshop, "workshop.phase_closed", by, phase=phase.get_kind_display())
    return phase


@transaction.atomic
def finish_workshop(workshop: Workshop, *, by) -> Workshop:
    workshop = _locked_workshop(workshop.pk)
    require(by, "workshops.facilitate", workshop)
    if workshop.status == Workshop.Status.FINISHED:
        return workshop
    now = timezone.now()
    for phase in workshop.phases.filter(state=Phase.State.OPEN):
        phase.state, phase.closed_at, phase.timer_ends_at = Phase.State.CLOSED, now, None
        phase.save(update_fields=["state", "closed_at", "timer_ends_at"])
        _phase_event(phase)
    workshop.status = Workshop.Status.FINISHED
    workshop.save(update_fields=["status", "updated_at"])
    emit(workshop.pk, "workshop", selectors.workshop_data(workshop))
    _history(workshop, "workshop.finished", by)
    return workshop


# Moderation --------------------------------------------------------------------------------------


@transaction.atomic
def set_locked(workshop: Workshop, *, by, locked: bool) -> Workshop:
    """A locked board refuses every card, dot, cluster and proposal until it is unlocked."""
    workshop = _locked_workshop(workshop.pk)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    workshop.locked = locked
    workshop.save(update_fields=["locked", "updated_at"])
    emit(workshop.pk, "workshop", selectors.workshop_data(workshop))
    _history(workshop, "workshop.locked" if locked else "workshop.unlocked", by)
    return workshop


@transaction.atomic
def hide_card(card: Card, *, by, reason: str = "", hidden: bool = True) -> Card:
    """Hidden cards stay in the record (the protocol lists them as hidden); phones stop showing them."""
    workshop = _locked_workshop(card.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    card = Card.objects.select_related("workshop", "participant").get(pk=card.pk)
    card.hidden = hidden
    card.hidden_reason = reason.strip()[:200] if hidden else ""
    card.hidden_by = by if hidden else None
    card.save(update_fields=["hidden", "hidden_reason", "hidden_by"])
    emit(card.workshop_id, "card", selectors.card_data(card, card.workshop), table_id=card.table_id)
    _history(card.workshop, "workshop.card_hidden" if hidden else "workshop.card_shown", by)
    audit.record(
        "card.hidden" if hidden else "card.shown",
        actor=by,
        about=workshop,
        summary=f"{workshop.title}: card {card.pk}"
        + (f" ({card.hidden_reason})" if hidden else ""),
    )
    return card


@transaction.atomic
def remove_participant(participant: Participant, *, by) -> Participant:
    """They can no longer write; what they wrote stays. Their open screens are told and closed."""
    workshop = _locked_workshop(participant.workshop_id)
    require(by, "workshops.facilitate", workshop)
    check_not_finished(workshop)
    participant = Participant.objects.get(pk=participant.pk)
    if participant.removed:
        return participant
    participant.removed, participant.removed_at = True, timezone.now()
    participant.save(update_fields=["removed", "removed_at"])
    emit(
        participant.workshop_id,
        "participant.removed",
        {"id": participant.pk},
        table_id=participant.table_id,
    )
    tell_participant(participant.pk, {"type": "participant.removed"})
    _history(participant.workshop, "workshop.participant_removed", by)
    audit.record(
        "participant.removed",
        actor=by,
        about=workshop,
        summary=f"{workshop.title}: participant {participant.pk}",
    )
    return participant


# Joining -----------------------------------------------------------------------------------------


@transaction.atomic
def join_workshop(
    workshop: Workshop,
    *,
    display_name: str = "",
    anonymous: bool = False,
    table: Table | None = None,
    user=None,
    address: str | None = None,
) -> tuple[Participant, str]:
    """A new participant and their secret device token (only its hash is stored). `address`, the
    client's (conet.core.http.client_address), counts against the joins allowed from it."""
    if workshop.status == Workshop.Status.FINISHED:
        raise BoardRefusal("finished", _("This workshop has ended."))
    display_name = display_name.strip()[:60]
    if not anonymous and not display_name:
        raise ValidationError({"display_name": _("Give a name, or join anonymously.")})
    if table is not None and table.workshop_id != workshop.pk:
        raise ValidationError({"table": _("This table belongs to another workshop.")})
    if address:
        limits.count_join(workshop.pk, address)
    raw = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        workshop=workshop,
        table=table,
        display_name="" if anonymous else display_name,
        anonymous=anonymous,
        token_hash=token_hash(raw),
        user=user if user is not None and user.is_authenticated else None,
    )
    emit(
        workshop.pk,
        "participant.joined",
        {"id": participant.pk, "name": participant.public_name, "table": table and table.pk},
        table_id=participant.table_id,
    )
    return participant, raw


def participant_for_token(workshop_id: int, raw_token: str | None) -> Participant | None:
    if not raw_token:
        return None
    return (
        Participant.objects.filter(workshop_id=workshop_id, token_hash=token_hash(raw_token))
        .select_related("table")
        .first()
    )


# Cards -------------------------------------------------------------------------------------------


def _clean_text(workshop: Workshop, text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write something on the card.")})
    if len(text) > workshop.card_max_length:
        raise ValidationError(
            {
                "text": _("A card holds at most %(limit)d characters; this one has %(count)d.")
                % {"limit": workshop.card_max_length, "count": len(text)}
            }
        )
    return text


def _responds_to(workshop: Workshop, phase: Phase, cluster_id) -> Cluster | None:
    if not cluster_id:
        return None
    if phase.kind != Phase.Kind.FANTASY:
        raise BoardRefusal("not_in_this_phase", _("Only fantasy cards answer a critique."))
    cluster = Cluster.objects.filter(
        pk=cluster_id, workshop=workshop, phase__kind=Phase.Kind.CRITIQUE, chosen=True
    ).first()
    if cluster is None:
        raise ValidationError({"responds_to": _("Choose one of the chosen critiques.")})
    return cluster


def _stored_card_ids(workshop: Workshop, client_id: str):
    """The id of the workshop's card with this client_id (at most one), as a query to use alone
    or as a subquery."""
    # The exclusion lets SQLite use the partial unique index on (workshop, client_id).
    return (
        Card.objects.filter(workshop=workshop, client_id=client_id)
        .exclude(client_id="")
        .order_by()
        .values_list("pk", flat=True)[:1]
    )


@transaction.atomic
def post_card(
    workshop: Workshop,
    *,
    text: str,
    participant: Participant | None = None,
    by=None,
    client_id: str = "",
    responds_to=None,
) -> tuple[Card, bool]:
    """Write a card in the open phase: by a participant, or by a facilitator (`by`) copying a paper
    card. The same `client_id` twice stores one card: (card, False) the second time."""
    client_id = (client_id or "")[:64]
    workshop = _locked_workshop(workshop.pk)
    # The open phase and, for a card sent again (same client_id), the card already stored, in one
    # query: a new card, the common case, pays no query for the check. The workshop's row is held,
    # so a card sent twice at once is found by the second, never stored twice.
    phase = (
        Phase.objects.filter(workshop=workshop, state=Phase.State.OPEN)
        .annotate(
            stored_card=Subquery(_stored_card_ids(workshop, client_id))
            if client_id
            else Value(None, output_field=BigIntegerField())
        )
        .order_by()
        .first()
    )
    stored = phase.stored_card if phase is not None else None
    if phase is None and client_id:  # between phases: a card resent late is still answered
        stored = next(iter(_stored_card_ids(workshop, client_id)), None)
    if stored is not None:
        return Card.objects.get(pk=stored), False
    if participant is not None:
        participant = Participant.objects.get(pk=participant.pk)
        check_participant(participant, workshop, phase, "card")
        table_id = participant.table_id
    else:
        require(by, "workshops.facilitate", workshop)
        check_board_write(workshop, phase, "card")
        table_id = None
    text = _clean_text(workshop, text)
    response = _responds_to(workshop, phase, responds_to)
    card = Card.objects.create(
        workshop=workshop,
        phase=phase,
        table_id=table_id,
        participant=participant,
        written_by=by if participant is None else None,
        text=text,
        responds_to=response,
        client_id=client_id,
    )
    emit(workshop.pk, "card", selectors.card_data(card, workshop), table_id=card.table_id)
    return card, True


def _cluster_table_event(cluster: Cluster) -> int | None:
    """Chosen clusters and plenary clusters reach every screen; a table's others only that table."""
    return None if cluster.chosen else cluster.table_id


def _check_clusterer(workshop, phase, *, by, participant) -> None:
    if participant is not None:
        check_participant(participant, workshop, phase, "cluster")
    else:
        require(by, "workshops.facilitate", workshop)
        check_board_write(workshop, phase, "cluster")


@transaction.atomic
def move_card(
    card: Card, *, cluster: Cluster | None, position: int | None = None, by=None, participant=None
) -> Card:
    """Put a card into a cluster (None: back among the unsorted cards) at `position`."""
    workshop = _locked_workshop(card.workshop_id)
    card = Card.objects.select_related("phase", "participant").get(pk=card.pk)
    if participant is not None:
        participant = Participant.objects.get(pk=participant.pk)
    _check_clusterer(workshop, card.phase, by=by, participant=participant)
    if cluster is not None and (
        cluster.phase_id != card.phase_id or cluster.table_id != card.table_id
    ):
        raise ValidationError({"cluster": _("That cluster belongs to another board.")})
    if participant is not None and participant.table_id != card.table_id:
        raise BoardRefusal("other_table", _("That card is on another table's board."))
    siblings = list(
        Card.objects.filter(phase=card.phase, table_id=card.table_id, cluster=cluster)
        .exclude(pk=card.pk)
        .order_by("order", "created_at", "pk")
        .values_list("pk", flat=True)
    )
    position = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    siblings.insert(position, card.pk)
    for order, pk in enumerate(siblings):
        Card.objects.filter(pk=pk).update(order=order, cluster=cluster)
    card.refresh_from_db()
    emit(
        workshop.pk,
        "card.moved",
        {
            "card": selectors.card_data(card, workshop),
            "cluster": cluster and cluster.pk,
            "order": siblings,
        },
        table_id=card.table_id,
    )
    return card


@transaction.atomic
def create_cluster(
    workshop: Workshop,
    *,
    title: str = "",
    table: Table | None = None,
    by=None,
    participant=None,
    suggested: bool = False,
    phase: Phase | None = None,
) -> Cluster:
    workshop = _locked_workshop(workshop.pk)
    phase = phase or _open_phase(workshop)
    if participant is not None:
        participant = Participant.objects.get(pk=participant.pk)
        table = participant.table
    _check_clusterer(workshop, phase, by=by, participant=participant)
    if table is not None and table.workshop_id != workshop.pk:
        raise ValidationError({"table": _("This table belongs to another workshop.")})
    order = (Cluster.objects.filter(phase=phase).aggregate(n=Max("order"))["n"] or 0) + 1
    cluster = Cluster(
        workshop=workshop, phase=phase, table=table, title=title.strip(), suggested=suggested
    )
    cluster.order = order
    cluster.full_clean(exclude=["workshop", "phase", "table"], validate_constraints=False)
    cluster.save()
    emit(workshop.pk, "cluster", selectors.cluster_data(cluster), table_id=cluster.table_id)
    return cluster


@transaction.atomic
def update_cluster(
    cluster: Cluster, *, by, expected_version: int, title: str | None = None, chosen=None
) -> Cluster:
    """Rename a cluster or choose it for the next phase; two facilitators renaming at once are told."""
    workshop = _locked_workshop(cluster.workshop_id)
    cluster = Cluster.objects.select_related("phase").get(pk=cluster.pk)
    require(by, "workshops.facilitate", workshop)
    check_board_write(workshop, cluster.phase, "cluster")
    changes = {}
    if title is not None:
        changes["title"] = title.strip()[:200]
    if chosen is not None:
        changes["chosen"] = bool(chosen)
    cluster = update_versioned(cluster, expected_version, changes)
    emit(
        workshop.pk,
        "cluster",
        selectors.cluster_data(cluster, selectors.dots_of_cluster(cluster.pk)),
        table_id=_cluster_table_event(cluster),
    )
    return cluster


@transaction.atomic
def delete_cluster(cluster: Cluster, *, by) -> None:
    """Its cards go back among the unsorted ones; its dots are given back."""
    workshop = _locked_workshop(cluster.workshop_id)
    cluster = Cluster.objects.select_related("phase").get(pk=cluster.pk)
    require(by, "workshops.facilitate", workshop)
    check_board_write(workshop, cluster.phase, "cluster")
    table_id = _cluster_table_event(cluster)
    pk = cluster.pk
    cluster.cards.update(cluster=None)
    cluster.delete()
    emit(workshop.pk, "cluster.deleted", {"id": pk}, table_id=table_id)


# Dots --------------------------------------------------------------------------------------------


@transaction.atomic
def place_dot(
    participant: Participant, cluster: Cluster, *, add: bool = True, ref: str = ""
) -> int:
    """Put one dot on a cluster (or take one back); returns the participant's dots left in the phase.
    `ref`, the phone's name for this click, travels with the event (the phone recognises its own)."""
    workshop = _locked_workshop(participant.workshop_id)
    participant = Participant.objects.get(pk=participant.pk)
    cluster = Cluster.objects.select_related("phase").get(pk=cluster.pk)
    if cluster.workshop_id != workshop.pk:
        raise BoardRefusal("not_participant", _("That cluster belongs to another workshop."))
    phase = cluster.phase
    check_participant(participant, workshop, phase, "dot")
    if cluster.table_id is not None and cluster.table_id != participant.table_id:
        raise BoardRefusal("other_table", _("That cluster is on another table's board."))
    dot = Dot.objects.filter(participant=participant, cluster=cluster).first()
    used = selectors.dots_used(participant, phase)
    if add:
        if used >= phase.dots_per_person:
            raise BoardRefusal(
                "no_dots_left",
                _("You have used all your %(n)d dots in this phase.")
                % {"n": phase.dots_per_person},
            )
        if dot is not None and not workshop.dots_stacking_allowed:
            raise BoardRefusal("no_stacking", _("One dot per cluster in this workshop."))
        if dot is None:
            Dot.objects.create(participant=participant, cluster=cluster, phase=phase)
        else:
            dot.count += 1
            dot.save(update_fields=["count", "updated_at"])
        used += 1
    else:
        if dot is None:
            raise BoardRefusal("no_dot", _("You have no dot on this cluster."))
        if dot.count > 1:
            dot.count -= 1
            dot.save(update_fields=["count", "updated_at"])
        else:
            dot.delete()
        used -= 1
    emit(
        workshop.pk,
        "dots",
        {"cluster": cluster.pk, "dots": selectors.dots_of_cluster(cluster.pk), "ref": ref[:64]},
        table_id=_cluster_table_event(cluster),
    )
    return phase.dots_per_person - used


# Proposals ---------------------------------------------------------------------------------------


def _proposal_changes(workshop: Workshop, fields: dict) -> dict:
    changes = {name: fields[name] for name in PROPOSAL_FIELDS if name in fields}
    errors = {}
    for name, value in list(changes.items()):
        if name == "cluster":
            if value in (None, ""):
                changes[name] = None
                continue
            cluster = Cluster.objects.filter(
                pk=getattr(value, "pk", value), workshop=workshop, phase__kind=Phase.Kind.FANTASY
            ).first()
            if cluster is None:
                errors[name] = _("Choose one of this workshop's utopias.")
            changes[name] = cluster
            continue
        value = (value or "").strip()
        limit = 200 if name in ("title", "start_when") else PROPOSAL_MAX_LENGTH
        if len(value) > limit:
            errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
        changes[name] = value
    if "title" in changes and not changes["title"]:
        errors["title"] = _("Give the proposal a title.")
    if errors:
        raise ValidationError(errors)
    return changes


def _check_proposer(workshop, *, by, participant, action="proposal") -> None:
    phase = _open_phase(workshop)
    if participant is not None:
        check_participant(participant, workshop, phase, action)
    else:
        require(by, "workshops.facilitate", workshop)
        check_board_write(workshop, phase, action)


def _proposal_event(proposal: Proposal) -> None:
    emit(
        proposal.workshop_id,
        "proposal",
        selectors.proposal_data(proposal, proposal.helpers.count()),
    )


@transaction.atomic
def create_proposal(workshop: Workshop, *, fields: dict, by=None, participant=None) -> Proposal:
    workshop = _locked_workshop(workshop.pk)
    if participant is not None:
        participant = Participant.objects.get(pk=participant.pk)
    _check_proposer(workshop, by=by, participant=participant)
    changes = _proposal_changes(workshop, {"title": "", **fields})
    order = (workshop.proposals.aggregate(n=Max("order"))["n"] or 0) + 1
    proposal = Proposal.objects.create(
        workshop=workshop,
        table=participant.table if participant is not None else None,
        created_by_participant=participant,
        created_by=by if participant is None else None,
        order=order,
        **changes,
    )
    _proposal_event(proposal)
    return proposal


@transaction.atomic
def update_proposal(
    proposal: Proposal, *, expected_version: int, fields: dict, by=None, participant=None
) -> Proposal:
    workshop = _locked_workshop(proposal.workshop_id)
    if participant is not None:
        participant = Participant.objects.get(pk=participant.pk)
    _check_proposer(workshop, by=by, participant=participant)
    changes = _proposal_changes(workshop, fields)
    proposal = update_versioned(proposal, expected_version, changes)
    _proposal_event(proposal)
    return proposal


@transaction.atomic
def help_with_proposal(proposal: Proposal, *, participant: Participant, helping: bool = True):
    """Sign up to help with a proposal (or withdraw); returns whether they now help."""
    workshop = _locked_workshop(proposal.workshop_id)
    participant = Participant.objects.get(pk=participant.pk)
    _check_proposer(workshop, by=None, participant=participant, action="help")
    if helping:
        ProposalHelper.objects.get_or_create(proposal=proposal, participant=participant)
    else:
        ProposalHelper.objects.filter(proposal=proposal, participant=participant).delete()
    _proposal_event(proposal)
    return helping


# People's data (docs/privacy.md) ---------------------------------------------------------------------


def _scrub_log(workshop_id: int, participant_id: int, card_ids: set[int], *, drop_text: bool):
    """The event log keeps a copy of every card and name for phones catching up; it forgets them
    with the rows, so that a replay shows no more than the board does."""
    events = WorkshopEvent.objects.filter(
        workshop_id=workshop_id, kind__in=["participant.joined", "card", "card.moved"]
    )
    for event in events:
        payload = event.payload
        card = payload.get("card") if event.kind == "card.moved" else payload
        if event.kind == "participant.joined":
            if payload.get("id") != participant_id:
                continue
            payload["name"] = ""
        elif isinstance(card, dict) and card.get("id") in card_ids:
            card["author"] = None
            if drop_text:
                card["text"], card["hidden"] = "", True
        else:
            continue
        event.save(update_fields=["payload"])


def _anonymise_participant(participant: Participant) -> None:
    """What they wrote stays in the record, signed by nobody; their device is no longer known."""
    card_ids = set(participant.cards.values_list("pk", flat=True))
    participant.display_name, participant.anonymous, participant.user = "", True, None
    participant.token_hash = unlinkable_hash()
    participant.save(update_fields=["display_name", "anonymous", "user", "token_hash"])
    _scrub_log(participant.workshop_id, participant.pk, card_ids, drop_text=False)


@transaction.atomic
def forget_participant(participant: Participant) -> str:
    """ "Delete what I contributed", asked from the participant's own phone. While the workshop runs
    their cards and dots are deleted (the boards are told) and so is the participant; a finished
    workshop's protocol is the group's record, so there the cards stay and lose the name.
    Returns "deleted" or "anonymised"."""
    workshop = _locked_workshop(participant.workshop_id)
    participant = Participant.objects.get(pk=participant.pk)
    if workshop.status == Workshop.Status.FINISHED:
        _anonymise_participant(participant)
        return "anonymised"
    cards = list(participant.cards.all())
    clusters = list(Cluster.objects.filter(dots__participant=participant).distinct())
    _scrub_log(workshop.pk, participant.pk, {card.pk for card in cards}, drop_text=True)
    Card.objects.filter(pk__in=[card.pk for card in cards]).delete()
    Dot.objects.filter(participant=participant).delete()
    for card in cards:
        emit(workshop.pk, "card.deleted", {"id": card.pk}, table_id=card.table_id)
    for cluster in clusters:
        emit(
            workshop.pk,
            "dots",
            {"cluster": cluster.pk, "dots": selectors.dots_of_cluster(cluster.pk), "ref": ""},
            table_id=_cluster_table_event(cluster),
        )
    participant_id, table_id = participant.pk, participant.table_id
    participant.delete()
    emit(workshop.pk, "participant.removed", {"id": participant_id}, table_id=table_id)
    return "deleted"


def anonymise_user_participations(user) -> None:
    """Account deletion: every workshop keeps the person's cards, dots and proposals, unsigned."""
    for participant in Participant.objects.filter(user=user):
        _anonymise_participant(participant)


def erase_names_after_workshops(now=None) -> int:
    """Retention: CONET_RETENTION_WORKSHOP_NAMES_DAYS days after a finished workshop's date, its
    participants' names go and their devices are no longer recognised; the protocol then reads
    "Anonymous". Returns how many participants were anonymised."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONET_RETENTION_WORKSHOP_NAMES_DAYS)
    due = Participant.objects.filter(
        workshop__status=Workshop.Status.FINISHED, workshop__starts_at__lte=cutoff
    ).exclude(token_hash__startswith=ERASED_PREFIX)
    count = 0
    for participant in due.iterator():
        with transaction.atomic():
            _anonymise_participant(participant)
        count += 1
    return count
