"""Reads for the board, the facilitator's pages and the events: one shape for a card, a cluster, a
phase or a proposal, whether it arrives with the page or later over the socket."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.networks.models import City, Network
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
from conet.workshops.rules import NETWORK_STAFF, PHASE_FEATURES


def card_data(card: Card, workshop: Workshop) -> dict:
    author = None
    if not workshop.anonymous_cards and card.participant is not None:
        author = card.participant.public_name
    return {
        "id": card.pk,
        "phase": card.phase_id,
        "table": card.table_id,
        "text": card.text,
        "cluster": card.cluster_id,
        "order": card.order,
        "responds_to": card.responds_to_id,
        "hidden": card.hidden,
        "author": author,
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


def _dot_total():
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
        .annotate(dot_total=_dot_total())
    )
    proposals = Proposal.objects.filter(workshop=workshop).annotate(helper_count=Count("helpers"))
    state = {
        "seq": seq,
        "workshop": workshop_data(workshop),
        "phases": [phase_data(phase) for phase in phases],
        "tables": [{"id": t.pk, "name": t.name} for t in workshop.tables.all()],
        "cards": [card_data(card, workshop) for card in cards],
        "clusters": [cluster_data(c, c.dot_total or 0) for c in clusters],
        "proposals": [proposal_data(p, p.helper_count) for p in proposals],
        "me": None,
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
        .annotate(dot_total=_dot_total(), card_count=Count("cards", distinct=True))
        .order_by("-dot_total", "order", "pk")
    )
