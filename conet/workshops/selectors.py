"""Reads for the board, the facilitator's pages and the events: one shape for a card, a cluster, a
phase or a proposal, whether it arrives with the page or later over the socket."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.actionplans.models import LocalActionPlan
from conet.networks.models import City, Network
from conet.workshops import clustering
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
from conet.workshops.rules import (
    NETWORK_STAFF,
    PHASE_FEATURES,
    PromotionRight,
    action_visible,
    card_author,
    may_view_results,
    promotion_right,
)


def card_data(card: Card, workshop: Workshop) -> dict:
    return {
        "id": card.pk,
        "phase": card.phase_id,
        "table": card.table_id,
        "text": card.text,
        "cluster": card.cluster_id,
        "order": card.order,
        "responds_to": card.responds_to_id,
        "hidden": card.hidden,
        "author": card_author(card, workshop),
        "client_id": card.client_id,
    }


def cluster_data(cluster: Cluster, dots: int = 0) -> dict:
    return {
        "id": cluster.pk,
        "phase": cluster.phase_id,
        "table": cluster.table_id,
        "title": cluster.title,
        "suggested": cluster.suggested,
        "chosen": cluster.chosen,
        "order": cluster.order,
        "version": cluster.version,
        "dots": dots,
    }


def phase_data(phase: Phase) -> dict:
    return {
        "id": phase.pk,
        "kind": phase.kind,
        "label": str(phase.get_kind_display()),
        "state": phase.state,
        "step": phase.step,
        "step_label": str(phase.get_step_display()),
        "time_box_minutes": phase.time_box_minutes,
        "dots_per_person": phase.dots_per_person,
        "timer_ends_at": phase.timer_ends_at.isoformat() if phase.timer_ends_at else None,
    }


def proposal_data(proposal: Proposal, helpers: int = 0) -> dict:
    return {
        "id": proposal.pk,
        "cluster": proposal.cluster_id,
        "table": proposal.table_id,
        "title": proposal.title,
        "what": proposal.what,
        "who_helps": proposal.who_helps,
        "start_when": proposal.start_when,
        "first_step": proposal.first_step,
        "resources": proposal.resources,
        "obstacles": proposal.obstacles,
        "version": proposal.version,
        "helpers": helpers,
        # What the proposal became in the plan, as the `proposal.promoted` event tells it.
        "promoted": {"action": proposal.action.number, "plan": proposal.action.plan.title}
        if proposal.action_id
        else None,
    }


def workshop_data(workshop: Workshop) -> dict:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "guiding_question": workshop.guiding_question,
        "locked": workshop.locked,
        "status": workshop.status,
        "anonymous_cards": workshop.anonymous_cards,
        "card_max_length": workshop.card_max_length,
        "dots_stacking_allowed": workshop.dots_stacking_allowed,
        "participants_may_cluster": workshop.participants_may_cluster,
    }


def cluster_dot_total():
    """Dots on the cluster, as a subquery (a join would multiply with the cards)."""
    total = (
        Dot.objects.filter(cluster=OuterRef("pk"))
        .order_by()
        .values("cluster")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def dots_of_cluster(cluster_id: int) -> int:
    return Dot.objects.filter(cluster_id=cluster_id).aggregate(n=Sum("count"))["n"] or 0


def dots_used(participant: Participant, phase: Phase) -> int:
    return (
        Dot.objects.filter(participant=participant, phase=phase).aggregate(n=Sum("count"))["n"] or 0
    )


def board_state(workshop: Workshop, *, table_id: int | None, everything: bool, participant=None):
    """Everything a screen shows, with the number of the last event it reflects.

    The number is read first: anything that happens while the rest is read arrives again as an
    event, and the screen applies events idempotently. A fixed number of queries, whatever the
    number of cards.
    """
    seq = Workshop.objects.filter(pk=workshop.pk).values_list("last_event_seq", flat=True).get()
    visible = Q()
    if not everything:
        visible = Q(table__isnull=True) | Q(table_id=table_id)
    phases = list(workshop.phases.all())
    cards = Card.objects.filter(visible, workshop=workshop).select_related("participant")
    if not everything:
        cards = cards.filter(hidden=False)
    clusters = (
        Cluster.objects.filter(workshop=workshop)
        .filter(visible | Q(chosen=True))
        .annotate(dot_total=cluster_dot_total())
    )
    proposals = (
        Proposal.objects.filter(workshop=workshop)
        .select_related("action__plan")
        .annotate(helper_count=Count("helpers"))
    )
    state = {
        "seq": seq,
        "workshop": workshop_data(workshop),
        "phases": [phase_data(phase) for phase in phases],
        "tables": [{"id": t.pk, "name": t.name} for t in workshop.tables.all()],
        "cards": [card_data(card, workshop) for card in cards],
        "clusters": [cluster_data(c, c.dot_total or 0) for c in clusters],
        "proposals": [proposal_data(p, p.helper_count) for p in proposals],
        "me": None,
        # The people in the room, for the screens that hear everything (facilitator, projector);
        # `participant.joined` and `participant.removed` keep it current.
        "participants": list(
            workshop.participants.filter(removed=False).values_list("pk", flat=True)
        )
        if everything
        else None,
        "features": {
            kind: {action: sorted(steps) for action, steps in actions.items()}
            for kind, actions in PHASE_FEATURES.items()
        },
    }
    if participant is not None:
        state["me"] = {
            "id": participant.pk,
            "table": participant.table_id,
            "name": participant.public_name,
            "dots": {
                str(d.cluster_id): d.count for d in Dot.objects.filter(participant=participant)
            },
            "helping": list(
                ProposalHelper.objects.filter(participant=participant).values_list(
                    "proposal_id", flat=True
                )
            ),
        }
    return state


def workshops_for(user):
    """The workshops a person may run: created, facilitated, or in a city/network they lead."""
    qs = Workshop.objects.select_related("city", "network")
    if user.is_staff:
        return qs
    cities, networks = _led_by(user)
    return qs.filter(
        Q(created_by=user)
        | Q(facilitators=user)
        | Q(city_id__in=cities)
        | Q(network_id__in=networks)
        | Q(city__partnerships__network_id__in=networks)
    ).distinct()


def _led_by(user) -> tuple[set[int], set[int]]:
    """(cities the user coordinates, networks whose staff they are), from their roles."""
    roles = roles_of(user)
    cities = {c for role, c in roles.city_roles if role == Role.CITY_COORDINATOR}
    networks = {n for role, n in roles.network_roles if role in NETWORK_STAFF}
    return cities, networks


def may_start_a_workshop_somewhere(user) -> bool:
    """Whether the user may set up a workshop anywhere (read from their roles, no extra query)."""
    if not user.is_authenticated:
        return False
    cities, networks = _led_by(user)
    return is_platform_admin(user) or bool(cities or networks)


def places_to_start_workshops(user) -> tuple[list[City], list[Network]]:
    """The cities and networks where the user may set up a workshop, as the rules decide
    (`workshops.create_workshop`): their own city, their network and its partner cities."""
    if not may_start_a_workshop_somewhere(user):
        return [], []
    cities = City.objects.order_by("name")
    networks = Network.objects.order_by("name")
    if not is_platform_admin(user):
        coordinated, staffed = _led_by(user)
        cities = cities.filter(
            Q(pk__in=coordinated) | Q(partnerships__network_id__in=staffed)
        ).distinct()
        networks = networks.filter(pk__in=staffed)
    return list(cities), list(networks)


def workshop_for_page_qs():
    return Workshop.objects.select_related("city", "network", "localgroup").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("order")),
        Prefetch("tables", queryset=Table.objects.annotate(people=Count("participants"))),
        "facilitators",
    )


def participants_of(workshop: Workshop):
    return (
        Participant.objects.filter(workshop=workshop)
        .select_related("table")
        .annotate(card_count=Count("cards"))
        .order_by("removed", "joined_at", "pk")
    )


def ranked_clusters(phase: Phase):
    """The phase's clusters, most dots first: the ranked result of the vote."""
    return (
        Cluster.objects.filter(phase=phase)
        .select_related("table")
        .annotate(dot_total=cluster_dot_total(), card_count=Count("cards", distinct=True))
        .order_by("-dot_total", "order", "pk")
    )


# The suggested clustering, as the task left it in the cache -----------------------------------

SUGGESTION_SECONDS = 6 * 3600


def unsorted_board_cards(phase: Phase, table: Table | None):
    """The board's unsorted, visible cards: what a suggestion groups."""
    return Card.objects.filter(
        phase=phase, table=table, hidden=False, cluster__isnull=True
    ).order_by("order", "created_at", "pk")


def suggestion_key(phase_id: int, table_id: int | None) -> str:
    return f"workshops:suggestion:{phase_id}:{table_id or 0}"


def cards_fingerprint(cards: list[tuple[int, str]]) -> str:
    digest = hashlib.sha256()
    for card_id, text in cards:
        digest.update(f"{card_id}\x1f{text}\x1e".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredSuggestion:
    """A suggestion as the facilitator's page shows it; `pending` while the task runs."""

    pending: bool = False
    suggestion: clustering.Suggestion | None = None
    cards: dict[int, str] = field(default_factory=dict)  # id → text of the grouped cards


def stored_suggestion(phase: Phase, table: Table | None = None) -> StoredSuggestion | None:
    """The suggestion for the board as its unsorted cards are now; None if there is none, or if
    cards were written or sorted since it was made (it would no longer fit)."""
    stored = cache.get(suggestion_key(phase.pk, table and table.pk))
    if not stored:
        return None
    cards = list(unsorted_board_cards(phase, table).values_list("pk", "text"))
    if stored["fingerprint"] != cards_fingerprint(cards):
        return None
    if stored["pending"]:
        return StoredSuggestion(pending=True)
    suggestion = clustering.Suggestion(
        groups=[
            clustering.SuggestedGroup(card_ids=tuple(ids), title=title, title_card_id=title_id)
            for ids, title, title_id in stored["groups"]
        ],
        ungrouped=tuple(stored["ungrouped"]),
        reason=stored["reason"],
        method=stored["method"],
    )
    return StoredSuggestion(suggestion=suggestion, cards=dict(cards))


# What the follow-up shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Lineage:
    """The utopia a proposal made concrete, and the critiques that utopia answered, with their
    cards and dots (hidden cards left out: they are not what the group chose)."""

    utopia: Cluster | None
    critiques: list[Cluster]

    @property
    def card_count(self) -> int:
        clusters = ([self.utopia] if self.utopia else []) + self.critiques
        return sum(len(cluster.visible_cards) for cluster in clusters)


def proposal_lineage(proposal: Proposal) -> Lineage:
    """Three queries whatever the number of cards: clusters with dot totals, and their cards."""
    if proposal.cluster_id is None:
        return Lineage(utopia=None, critiques=[])
    visible = Prefetch(
        "cards",
        queryset=Card.objects.filter(hidden=False).order_by("order", "pk"),
        to_attr="visible_cards",
    )
    clusters = list(
        Cluster.objects.filter(
            Q(pk=proposal.cluster_id) | Q(responses__cluster_id=proposal.cluster_id)
        )
        .distinct()
        .select_related("phase")
        .annotate(dot_total=cluster_dot_total())
        .prefetch_related(visible)
        .order_by("-dot_total", "pk")
    )
    utopia = next((cluster for cluster in clusters if cluster.pk == proposal.cluster_id), None)
    critiques = [cluster for cluster in clusters if cluster.pk != proposal.cluster_id]
    return Lineage(utopia=utopia, critiques=critiques)


def plans_for(workshop: Workshop):
    """The Local Action Plans a workshop's proposals may go to: its city's (or network's)."""
    plans = LocalActionPlan.objects.select_related("partnership__city", "partnership__network")
    if workshop.city_id is not None:
        return plans.filter(partnership__city_id=workshop.city_id)
    if workshop.network_id is not None:
        return plans.filter(partnership__network_id=workshop.network_id)
    return plans.none()


def promotion_right_for(user, workshop: Workshop) -> PromotionRight:
    """The plans the person may promote the workshop's proposals to (none read if they do not
    run it): the decision a promotion request makes once."""
    return promotion_right(user, workshop, plans_for(workshop))


def with_visible_actions(proposals, user) -> list[Proposal]:
    """Set `shown_action` on each proposal: its action, or None where the viewer may not see it."""
    proposals = list(proposals)
    for proposal in proposals:
        action = proposal.action if proposal.action_id else None
        proposal.shown_action = action if action and action_visible(user, action) else None
    return proposals


def proposals_with_outcome(workshop: Workshop):
    """The workshop's proposals with their helpers, utopia and action (a fixed number of queries)."""
    return (
        Proposal.objects.filter(workshop=workshop)
        .select_related("cluster", "table", "action__plan__partnership__city")
        .annotate(helper_count=Count("helpers", distinct=True))
        .order_by("order", "pk")
    )


def earlier_proposals(workshop: Workshop, limit: int = 50):
    """Proposals of the city's earlier workshops: what a follow-up workshop looks back on."""
    if workshop.city_id is None:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(
            workshop__city_id=workshop.city_id, workshop__starts_at__lt=workshop.starts_at
        )
        .select_related("workshop", "action__plan__partnership")
        .order_by("-workshop__starts_at", "order", "pk")[:limit]
    )


# A focus area's story, and where a plan action came from -------------------------------------


def proposals_behind(actions, user) -> dict[int, list]:
    """Action id → the workshop proposals it came from, as origins (actionplans/origins.py), where
    the reader may see the workshop's record. One query (and, for a workshop not finished yet,
    whether the reader runs it)."""
    from conet.actionplans.origins import Origin

    found: dict[int, list] = defaultdict(list)
    proposals = (
        Proposal.objects.filter(action_id__in=[action.pk for action in actions])
        .select_related("workshop")
        .order_by("workshop__starts_at", "order", "pk")
    )
    for proposal in proposals:
        workshop = proposal.workshop
        if may_view_results(user, workshop):
            found[proposal.action_id].append(
                Origin(
                    kind=_("Workshop proposal"),
                    text=proposal.title,
                    url=reverse("workshops:protocol", args=[workshop.pk])
                    + f"#proposal-{proposal.pk}",
                    source=workshop.title,
                    when=workshop.starts_at,
                    language=workshop.language,
                )
            )
    return found


@dataclass
class WorkshopStep:
    """A workshop as a step of a focus area's story: its proposals when its record is open."""

    workshop: Workshop
    may_open: bool
    proposals: list[Proposal] = field(default_factory=list)


def focus_area_workshops(partnership, user) -> list[WorkshopStep]:
    """The Future Workshops of the focus area's city (its own, and those in the area's network),
    oldest first, with their proposals and the plan actions the reader may see. Three queries."""
    from conet.actionplans.selectors import visible_actions

    workshops = list(
        Workshop.objects.filter(city_id=partnership.city_id)
        .filter(Q(network__isnull=True) | Q(network_id=partnership.network_id))
        .order_by("starts_at", "pk")
    )
    steps = [WorkshopStep(w, may_view_results(user, w)) for w in workshops]
    open_ids = [step.workshop.pk for step in steps if step.may_open]
    proposals = list(
        Proposal.objects.filter(workshop_id__in=open_ids)
        .select_related("action__plan__partnership__network", "action__plan__partnership__city")
        .order_by("order", "pk")
    )
    shown = {a.pk for a in visible_actions([p.action for p in proposals if p.action_id], user)}
    by_workshop: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        proposal.shown_action = proposal.action if proposal.action_id in shown else None
        by_workshop.setdefault(proposal.workshop_id, []).append(proposal)
    for step in steps:
        step.proposals = by_workshop.get(step.workshop.pk, [])
    return steps
