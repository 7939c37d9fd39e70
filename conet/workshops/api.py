"""API for Future Workshops: workshops, cards, clusters and results; writes by the facilitator.

Reading follows the protocol page: a finished workshop is public, a running one is for the people
running it (a token or a session identifies the caller). Hidden cards are left out for everyone
else, and authors' names are given only to the people running it. Writes (asking for a suggested
clustering, accepting it, promoting a proposal to a plan action) need a token or a session and the
facilitator's rights; a refused write changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from conet.actionplans.models import LocalActionPlan
from conet.api.auth import WRITE_AUTH, reader
from conet.api.pagination import Offset
from conet.workshops import followup, protocol, rules, selectors
from conet.workshops.models import Card, Phase, Proposal, Table, Workshop

router = Router(tags=["workshops"])

MAX_PAGE = 200


def _visible_workshop(request, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("city", "network"), pk=workshop_id)
    if not rules.may_view_results(request.user, workshop):
        raise PermissionDenied("workshops.view_results")
    return workshop


def _running_workshop(request, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    if not rules.runs(request.user, workshop):
        raise PermissionDenied("workshops.facilitate")
    return workshop


class PhaseOut(Schema):
    id: int
    kind: str
    state: str
    step: str
    dots_per_person: int
    time_box_minutes: int | None
    opened_at: datetime | None
    closed_at: datetime | None


class WorkshopOut(Schema):
    id: int
    title: str
    guiding_question: str
    language: str
    starts_at: datetime
    place: str
    status: str
    city: str | None = Field(None, alias="city.name")
    network: str | None = Field(None, alias="network.slug")
    anonymous_cards: bool


class WorkshopDetailOut(WorkshopOut):
    phases: list[PhaseOut]
    participants: int
    tables: list[str]

    @staticmethod
    def resolve_phases(workshop):
        return list(Phase.objects.filter(workshop=workshop).order_by("order"))

    @staticmethod
    def resolve_participants(workshop):
        return workshop.participants.count()

    @staticmethod
    def resolve_tables(workshop):
        return list(Table.objects.filter(workshop=workshop).values_list("name", flat=True))


class CardOut(Schema):
    id: int
    phase: str
    table: int | None
    text: str
    cluster: int | None
    responds_to: int | None
    hidden: bool
    author: str | None = None
    created_at: datetime


class ClusterOut(Schema):
    id: int
    phase: str
    table: int | None
    title: str
    suggested: bool
    chosen: bool
    dots: int
    rank: int
    cards: list[int]


class PromotedActionOut(Schema):
    plan: str
    number: int
    status: str
    progress: int


class ProposalOut(Schema):
    id: int
    title: str
    utopia: int | None
    what: str
    who_helps: str
    start_when: str
    first_step: str
    resources: str
    obstacles: str
    helpers: int
    action: PromotedActionOut | None = None


class PhaseResultOut(Schema):
    kind: str
    cards: int
    hidden_cards: int
    voters: int
    opened_at: datetime | None
    closed_at: datetime | None
    ranking: list[ClusterOut]
    chosen: list[int]


class WorkshopResultsOut(Schema):
    workshop: WorkshopOut
    participants: int
    phases: list[PhaseResultOut]
    proposals: list[ProposalOut]


class GroupIn(Schema):
    title: str
    cards: list[int]


class AcceptIn(Schema):
    phase: int
    table: int | None = None
    groups: list[GroupIn]


class SuggestedGroupOut(Schema):
    title: str
    cards: list[int]


class SuggestionOut(Schema):
    status: str  # "none", "pending" or "ready"
    groups: list[SuggestedGroupOut] = []
    ungrouped: list[int] = []
    reason: str = ""


class PromoteIn(Schema):
    plan: int
    version: int  # the proposal's version the caller read; another one is answered 409


class PromotedOut(Schema):
    proposal: int
    plan: str
    action: int
    status: str


class Page(Schema):
    limit: int = 50
    offset: Offset = 0


def _page(page: Page) -> slice:
    limit = max(1, min(page.limit, MAX_PAGE))
    offset = max(0, page.offset)
    return slice(offset, offset + limit)


def _cluster_out(cluster) -> dict:
    return {
        "id": cluster.pk,
        "phase": cluster.phase.kind if hasattr(cluster, "phase") else "",
        "table": cluster.table_id,
        "title": cluster.title,
        "suggested": cluster.suggested,
        "chosen": cluster.chosen,
        "dots": cluster.dot_total,
        "rank": cluster.rank,
        "cards": [card.pk for card in cluster.record_cards],
    }


def _proposal_out(proposal) -> dict:
    action = proposal.shown_action
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "utopia": proposal.cluster_id,
        "what": proposal.what,
        "who_helps": proposal.who_helps,
        "start_when": proposal.start_when,
        "first_step": proposal.first_step,
        "resources": proposal.resources,
        "obstacles": proposal.obstacles,
        "helpers": proposal.helper_count,
        "action": None
        if action is None
        else {
            "plan": action.plan.title,
            "number": action.number,
            "status": action.status,
            "progress": action.progress,
        },
    }


@router.get("/workshops", response=list[WorkshopOut], auth=reader)
def list_workshops(request, page: Query[Page]):
    """Finished workshops, and the running ones the caller runs; newest first."""
    finished = Workshop.objects.filter(status=Workshop.Status.FINISHED)
    if request.user.is_authenticated:
        from conet.workshops.selectors import workshops_for

        mine = workshops_for(request.user).values("pk")
        finished = Workshop.objects.filter(
            status=Workshop.Status.FINISHED
        ) | Workshop.objects.filter(pk__in=mine)
    return list(
        finished.select_related("city", "network")
        .order_by("-starts_at", "-pk")
        .distinct()[_page(page)]
    )


@router.get("/workshops/{workshop_id}", response=WorkshopDetailOut, auth=reader)
def get_workshop(request, workshop_id: int):
    return _visible_workshop(request, workshop_id)


@router.get("/workshops/{workshop_id}/cards", response=list[CardOut], auth=reader)
def list_cards(request, workshop_id: int, page: Query[Page], phase: str = ""):
    """The cards, by phase; hidden cards only for the people running the workshop."""
    workshop = _visible_workshop(request, workshop_id)
    full = rules.sees_hidden_cards(request.user, workshop)
    cards = Card.objects.filter(workshop=workshop).select_related("phase", "participant")
    if phase:
        cards = cards.filter(phase__kind=phase)
    if not full:
        cards = cards.filter(hidden=False)
    cards = cards.order_by("phase__order", "table_id", "order", "created_at", "pk")[_page(page)]
    return [
        {
            "id": card.pk,
            "phase": card.phase.kind,
            "table": card.table_id,
            "text": card.text,
            "cluster": card.cluster_id,
            "responds_to": card.responds_to_id,
            "hidden": card.hidden,
            "author": rules.card_author(card, workshop, names_shown=full),
            "created_at": card.created_at,
        }
        for card in cards
    ]


@router.get("/workshops/{workshop_id}/clusters", response=list[ClusterOut], auth=reader)
def list_clusters(request, workshop_id: int, phase: str = ""):
    """Clusters ranked by dots within each phase, with the ids of their (visible) cards."""
    workshop = _visible_workshop(request, workshop_id)
    record = protocol.protocol_for(workshop, full=rules.sees_hidden_cards(request.user, workshop))
    out = []
    for phase_record in record.phases:
        if phase and phase_record.phase.kind != phase:
            continue
        for cluster in phase_record.clusters:
            cluster.phase = phase_record.phase
            if not record.full:
                cluster.record_cards = [card for card in cluster.record_cards if not card.hidden]
            out.append(_cluster_out(cluster))
    return out


@router.get("/workshops/{workshop_id}/results", response=WorkshopResultsOut, auth=reader)
def get_results(request, workshop_id: int):
    """The protocol's results: the ranking and choices of each phase, and the proposals with what
    became of them in the Local Action Plan."""
    workshop = _visible_workshop(request, workshop_id)
    record = protocol.protocol_for(
        workshop, full=rules.sees_hidden_cards(request.user, workshop), viewer=request.user
    )
    phases = []
    for phase_record in record.phases:
        for cluster in phase_record.clusters:
            cluster.phase = phase_record.phase
            if not record.full:
                cluster.record_cards = [card for card in cluster.record_cards if not card.hidden]
        phases.append(
            {
                "kind": phase_record.phase.kind,
                "cards": phase_record.card_count,
                "hidden_cards": phase_record.hidden_count,
                "voters": phase_record.voters,
                "opened_at": phase_record.phase.opened_at,
                "closed_at": phase_record.phase.closed_at,
                "ranking": [_cluster_out(cluster) for cluster in phase_record.clusters],
                "chosen": [cluster.pk for cluster in phase_record.decisions],
            }
        )
    return {
        "workshop": workshop,
        "participants": record.participants,
        "phases": phases,
        "proposals": [_proposal_out(proposal) for proposal in record.proposals],
    }


@router.get(
    "/workshops/{workshop_id}/phases/{phase_id}/suggestion", response=SuggestionOut, auth=WRITE_AUTH
)
def get_suggestion(request, workshop_id: int, phase_id: int, table: int | None = None):
    """The suggested clustering of the board's unsorted cards, once computed (facilitators)."""
    workshop = _running_workshop(request, workshop_id)
    phase = get_object_or_404(Phase, pk=phase_id, workshop=workshop)
    board_table = get_object_or_404(Table, pk=table, workshop=workshop) if table else None
    stored = selectors.stored_suggestion(phase, board_table)
    if stored is None:
        return {"status": "none"}
    if stored.pending:
        return {"status": "pending"}
    suggestion = stored.suggestion
    return {
        "status": "ready",
        "groups": [
            {"title": group.title, "cards": list(group.card_ids)} for group in suggestion.groups
        ],
        "ungrouped": list(suggestion.ungrouped),
        "reason": suggestion.reason,
    }


@router.post(
    "/workshops/{workshop_id}/phases/{phase_id}/suggestion",
    response={202: SuggestionOut},
    auth=WRITE_AUTH,
)
def request_suggestion(request, workshop_id: int, phase_id: int, table: int | None = None):
    """Ask for a suggested clustering; it is computed in the background (poll the GET)."""
    workshop = _running_workshop(request, workshop_id)
    phase = get_object_or_404(
        Phase.objects.select_related("workshop"), pk=phase_id, workshop=workshop
    )
    board_table = get_object_or_404(Table, pk=table, workshop=workshop) if table else None
    followup.request_suggestion(phase, by=request.user, table=board_table)
    return 202, {"status": "pending"}


@router.post(
    "/workshops/{workshop_id}/clusters/accept", response={201: list[ClusterOut]}, auth=WRITE_AUTH
)
def accept_suggestion(request, workshop_id: int, payload: AcceptIn):
    """Make clusters from a (possibly edited) suggestion; all or nothing."""
    workshop = _running_workshop(request, workshop_id)
    phase = get_object_or_404(
        Phase.objects.select_related("workshop"), pk=payload.phase, workshop=workshop
    )
    table = get_object_or_404(Table, pk=payload.table, workshop=workshop) if payload.table else None
    made = followup.accept_suggestion(
        phase,
        [(group.title, group.cards) for group in payload.groups],
        by=request.user,
        table=table,
    )
    out = []
    for rank, cluster in enumerate(made, start=1):
        cluster.phase = phase
        cluster.dot_total = 0
        cluster.rank = rank
        cluster.record_cards = list(cluster.cards.order_by("order", "pk"))
        out.append(_cluster_out(cluster))
    return 201, out


@router.post(
    "/workshops/{workshop_id}/proposals/{proposal_id}/promote",
    response={201: PromotedOut},
    auth=WRITE_AUTH,
)
def promote(request, workshop_id: int, proposal_id: int, payload: PromoteIn):
    """Make a proposal a new action of the city's Local Action Plan."""
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, workshop=workshop)
    plan = get_object_or_404(LocalActionPlan, pk=payload.plan)
    action = followup.promote_proposal_to_action(
        proposal,
        plan,
        by=request.user,
        expected_version=payload.version,
        protocol_url=request.build_absolute_uri(reverse("workshops:protocol", args=[workshop.pk])),
    )
    return 201, {
        "proposal": proposal.pk,
        "plan": plan.title,
        "action": action.number,
        "status": action.status,
    }
