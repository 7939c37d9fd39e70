"""What a workshop leaves behind: accepted cluster suggestions, promoted proposals, who may see what.

- `request_suggestion` / `stored_suggestion`: the suggested clustering of a board's unsorted cards
  (conet/workshops/clustering.py) is computed by a background task, because embedding a hundred
  cards takes seconds, and kept in the cache for the facilitator's page;
- `accept_suggestion`: the facilitator accepts the suggestion, as is or with edited titles and
  groups; the clusters are made and the cards moved by the board's own services, so every screen
  hears of it after commit like any other clustering;
- `promote_proposal_to_action`: a proposal of the implementation phase becomes an action of the
  city's Local Action Plan (through the plan's own `add_action`, so numbering, validation and the
  plan's history stay the plan's), keeping the link to the utopia and critiques it grew from;
- who may read the results (`may_view_results`, `sees_hidden_cards`) and who may promote
  (`may_promote`): the person must run the workshop *and* be allowed to edit the plan — the city's
  coordinator, a platform admin, or a facilitator who is an LSG member of a plan open to members.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import rules
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_task

from conet.actionplans import services as plan_services
from conet.actionplans.models import Action, LocalActionPlan
from conet.core.activity import record_activity, register_kind
from conet.core.concurrency import EditConflict, update_versioned
from conet.workshops import clustering
from conet.workshops import services as board
from conet.workshops.events import emit
from conet.workshops.models import Card, Cluster, Phase, Proposal, Table, Workshop
from conet.workshops.rules import BoardRefusal, check_board_write
from conet.workshops.selectors import _dot_total

register_kind(
    "workshop.suggestion_accepted",
    gettext_lazy("%(actor)s accepted a suggested grouping into %(count)s clusters"),
)
register_kind(
    "workshop.proposal_promoted",
    gettext_lazy("%(actor)s made the proposal “%(proposal)s” action %(number)s of %(plan)s"),
)

SUGGESTION_SECONDS = 6 * 3600
log = logging.getLogger(__name__)


# Who may see and do what ------------------------------------------------------------------------


def runs(user, workshop: Workshop) -> bool:
    return user is not None and user.has_perm("workshops.facilitate", workshop)


def may_view_results(user, workshop: Workshop) -> bool:
    """A finished workshop's record is public (residents' own words, without names); before the
    end only the people running it see it."""
    return workshop.status == Workshop.Status.FINISHED or runs(user, workshop)


def sees_hidden_cards(user, workshop: Workshop) -> bool:
    """The text of a hidden card and the authors' names are for the people running the workshop."""
    return runs(user, workshop)


def plan_belongs_to_workshop(plan: LocalActionPlan, workshop: Workshop) -> bool:
    partnership = plan.partnership
    if workshop.city_id is not None:
        return partnership.city_id == workshop.city_id
    return workshop.network_id is not None and partnership.network_id == workshop.network_id


def may_promote(user, workshop: Workshop, plan: LocalActionPlan) -> bool:
    return (
        runs(user, workshop)
        and plan_belongs_to_workshop(plan, workshop)
        and user.has_perm("actionplans.edit_content", plan)
    )


def plans_for(workshop: Workshop):
    """The Local Action Plans a workshop's proposals may go to: its city's (or network's)."""
    plans = LocalActionPlan.objects.select_related("partnership__city", "partnership__network")
    if workshop.city_id is not None:
        return plans.filter(partnership__city_id=workshop.city_id)
    if workshop.network_id is not None:
        return plans.filter(partnership__network_id=workshop.network_id)
    return plans.none()


def promotable_plans(user, workshop: Workshop) -> list[LocalActionPlan]:
    if not runs(user, workshop):
        return []
    return [plan for plan in plans_for(workshop) if may_promote(user, workshop, plan)]


def action_visible(user, action: Action) -> bool:
    """What became of a proposal in the plan is public once the plan is launched; in a working
    plan only for those who may read the working plan."""
    plan = action.plan
    launched = (LocalActionPlan.Status.APPROVED, LocalActionPlan.Status.IMPLEMENTATION)
    return plan.status in launched or (
        user is not None and user.has_perm("actionplans.view_working_plan", plan)
    )


def with_visible_actions(proposals, user) -> list[Proposal]:
    """Set `shown_action` on each proposal: its action, or None where the viewer may not see it."""
    proposals = list(proposals)
    for proposal in proposals:
        action = proposal.action if proposal.action_id else None
        proposal.shown_action = action if action and action_visible(user, action) else None
    return proposals


@rules.predicate
def _views_results(user, workshop) -> bool:
    return isinstance(workshop, Workshop) and may_view_results(user, workshop)


rules.add_perm("workshops.view_results", _views_results)


# Suggested clustering ---------------------------------------------------------------------------


def _board_cards(phase: Phase, table: Table | None):
    """The board's unsorted, visible cards: what a suggestion groups."""
    return Card.objects.filter(
        phase=phase, table=table, hidden=False, cluster__isnull=True
    ).order_by("order", "created_at", "pk")


def _suggestion_key(phase_id: int, table_id: int | None) -> str:
    return f"workshops:suggestion:{phase_id}:{table_id or 0}"


def _fingerprint(cards: list[tuple[int, str]]) -> str:
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


def request_suggestion(phase: Phase, *, by, table: Table | None = None) -> None:
    """Ask for a suggestion of the board's unsorted cards; the task runs after this request."""
    if not runs(by, phase.workshop):
        raise PermissionDenied("workshops.facilitate")
    cards = list(_board_cards(phase, table).values_list("pk", "text"))
    cache.set(
        _suggestion_key(phase.pk, table and table.pk),
        {"fingerprint": _fingerprint(cards), "pending": True},
        SUGGESTION_SECONDS,
    )
    table_id = table and table.pk
    transaction.on_commit(lambda: suggest_for_board(phase.pk, table_id), robust=True)


@db_task()
def suggest_for_board(phase_id: int, table_id: int | None) -> None:
    phase = Phase.objects.get(pk=phase_id)
    table = Table.objects.get(pk=table_id) if table_id else None
    cards = list(_board_cards(phase, table).values_list("pk", "text"))
    try:
        suggestion = clustering.suggest_clusters(cards)
    except Exception:  # the facilitator's page must not wait for ever on a task that died
        log.exception("could not suggest clusters for phase %s, table %s", phase_id, table_id)
        suggestion = clustering.Suggestion(reason=_("The suggestion failed. Try again later."))
    cache.set(
        _suggestion_key(phase_id, table_id),
        {
            "fingerprint": _fingerprint(cards),
            "pending": False,
            "groups": [
                [list(group.card_ids), group.title, group.title_card_id]
                for group in suggestion.groups
            ],
            "ungrouped": list(suggestion.ungrouped),
            "reason": suggestion.reason,
            "method": suggestion.method,
        },
        SUGGESTION_SECONDS,
    )


def stored_suggestion(phase: Phase, table: Table | None = None) -> StoredSuggestion | None:
    """The suggestion for the board as its unsorted cards are now; None if there is none, or if
    cards were written or sorted since it was made (it would no longer fit)."""
    stored = cache.get(_suggestion_key(phase.pk, table and table.pk))
    if not stored:
        return None
    cards = list(_board_cards(phase, table).values_list("pk", "text"))
    if stored["fingerprint"] != _fingerprint(cards):
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


@transaction.atomic
def accept_suggestion(
    phase: Phase, groups: list[tuple[str, list[int]]], *, by, table: Table | None = None
) -> list[Cluster]:
    """Make one suggested cluster per (title, card ids), as the facilitator accepted or edited it.

    All or nothing: a card of another board, a card named twice or a group without a title
    refuses the whole grouping.
    """
    workshop = phase.workshop
    if not runs(by, workshop):
        raise PermissionDenied("workshops.facilitate")
    try:
        check_board_write(workshop, phase, "cluster")
    except BoardRefusal as refusal:
        raise ValidationError({"phase": refusal.message}) from refusal
    wanted = [card_id for _title, card_ids in groups for card_id in card_ids]
    if len(wanted) != len(set(wanted)):
        raise ValidationError({"groups": _("A card can be in one cluster only.")})
    cards = Card.objects.in_bulk(wanted)
    if len(cards) != len(set(wanted)) or any(
        card.phase_id != phase.pk or card.table_id != (table and table.pk)
        for card in cards.values()
    ):
        raise ValidationError({"groups": _("Some cards are not on this board.")})
    made = []
    for number, (title, card_ids) in enumerate(groups, start=1):
        if not title.strip():
            raise ValidationError({f"title_{number}": _("Give every cluster a title.")})
        if not card_ids:
            continue
        cluster = board.create_cluster(
            workshop, title=title, table=table, by=by, suggested=True, phase=phase
        )
        for card_id in card_ids:
            board.move_card(cards[card_id], cluster=cluster, by=by)
        made.append(cluster)
    cache.delete(_suggestion_key(phase.pk, table and table.pk))
    record_activity(
        kind="workshop.suggestion_accepted",
        scope=workshop,
        actor=by,
        data={"actor": str(by), "workshop": workshop.title, "count": len(made)},
        public=False,
    )
    return made


# Where a proposal came from ---------------------------------------------------------------------


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
        .annotate(dot_total=_dot_total())
        .prefetch_related(visible)
        .order_by("-dot_total", "pk")
    )
    utopia = next((cluster for cluster in clusters if cluster.pk == proposal.cluster_id), None)
    critiques = [cluster for cluster in clusters if cluster.pk != proposal.cluster_id]
    return Lineage(utopia=utopia, critiques=critiques)


def action_description(proposal: Proposal, lineage: Lineage, protocol_url: str) -> str:
    """The action's description (plain text, as plans show it): the proposal's own fields, then
    where it came from."""
    workshop = proposal.workshop
    parts = [
        _("From the Future Workshop “%(workshop)s” (%(date)s).")
        % {"workshop": workshop.title, "date": workshop.starts_at.date().isoformat()}
    ]
    for label, value in [
        (_("What exactly"), proposal.what),
        (_("First step"), proposal.first_step),
        (_("When we start"), proposal.start_when),
        (_("Who helps"), proposal.who_helps),
        (_("Resources"), proposal.resources),
    ]:
        if value.strip():
            parts.append(f"{label}: {value.strip()}")
    origin = []
    if lineage.utopia is not None:
        origin.append(
            _("the utopia “%(title)s” (%(cards)s cards, %(dots)s dots)")
            % {
                "title": lineage.utopia.title,
                "cards": len(lineage.utopia.visible_cards),
                "dots": lineage.utopia.dot_total,
            }
        )
    for critique in lineage.critiques:
        origin.append(
            _("the critique “%(title)s” (%(cards)s cards, %(dots)s dots)")
            % {
                "title": critique.title,
                "cards": len(critique.visible_cards),
                "dots": critique.dot_total,
            }
        )
    if origin:
        parts.append(_("It grew from %(origin)s.") % {"origin": "; ".join(origin)})
    parts.append(_("The workshop's protocol: %(url)s") % {"url": protocol_url})
    return "\n\n".join(parts)


@transaction.atomic
def promote_proposal_to_action(
    proposal: Proposal,
    plan: LocalActionPlan,
    *,
    by,
    expected_version: int,
    protocol_url: str = "",
) -> Action:
    """Make the proposal a new action of the plan (status planned, while the plan is a draft or in
    consultation) and link the proposal to it; a proposal is promoted once. `protocol_url` (the
    absolute address, where the caller knows it) is quoted in the action's description."""
    proposal = Proposal.objects.select_for_update().select_related("workshop").get(pk=proposal.pk)
    plan = LocalActionPlan.objects.select_related("partnership").get(pk=plan.pk)
    workshop = proposal.workshop
    if not may_promote(by, workshop, plan):
        raise PermissionDenied("workshops.promote_proposal")
    if proposal.version != expected_version:
        raise EditConflict(proposal, ["action"])
    if proposal.action_id is not None:
        raise ValidationError({"proposal": _("This proposal is already an action of a plan.")})
    protocol_url = protocol_url or reverse("workshops:protocol", args=[workshop.pk])
    description = action_description(proposal, proposal_lineage(proposal), protocol_url)
    action = plan_services.add_action(
        plan,
        by=by,
        title=proposal.title[:200],
        description=description,
        risks=proposal.obstacles,
    )
    proposal = update_versioned(proposal, proposal.version, {"action": action})
    record_activity(
        kind="workshop.proposal_promoted",
        scope=workshop,
        actor=by,
        data={
            "actor": str(by),
            "workshop": workshop.title,
            "proposal": proposal.title,
            "number": action.number,
            "plan": plan.title,
        },
        link=plan.get_absolute_url(),
        public=False,
    )
    emit(
        workshop.pk,
        "proposal.promoted",
        {"id": proposal.pk, "action": action.number, "plan": plan.title},
        table_id=proposal.table_id,
    )
    return action


# What became of each proposal -------------------------------------------------------------------


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
    from collections import defaultdict

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
