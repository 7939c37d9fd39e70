"""What a workshop leaves behind, as writes: accepting a suggested clustering, and making a proposal
an action of the city's Local Action Plan. (Who may do it is in rules.py, what the pages read in
selectors.py, the suggestion's computing in tasks.py.)

- `request_suggestion`: the suggested clustering of a board's unsorted cards
  (conet/workshops/clustering.py) is computed by a background task (`tasks.suggest_for_board`),
  and kept in the cache for the facilitator's page (`selectors.stored_suggestion`);
- `accept_suggestion`: the facilitator accepts the suggestion, as is or with edited titles and
  groups; the clusters are made and the cards moved by the board's own services, so every screen
  hears of it after commit like any other clustering;
- `promote_proposal_to_action`: a proposal of the implementation phase becomes an action of the
  city's Local Action Plan (through the plan's own `add_action`, so numbering, validation and the
  plan's history stay the plan's), keeping the link to the utopia and critiques it grew from.

They are kept apart from services.py, the live board's writes, because they are the workshop's
after-life: they write to another app's plan and to the cache, and build on the board's services.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from conet.actionplans import services as plan_services
from conet.actionplans.models import Action, LocalActionPlan
from conet.core.activity import record_activity
from conet.core.concurrency import EditConflict, update_versioned
from conet.workshops import rules, selectors, tasks
from conet.workshops import services as board
from conet.workshops.events import emit
from conet.workshops.models import Card, Cluster, Phase, Proposal, Table


def request_suggestion(phase: Phase, *, by, table: Table | None = None) -> None:
    """Ask for a suggestion of the board's unsorted cards; the task runs after this request."""
    if not rules.runs(by, phase.workshop):
        raise PermissionDenied("workshops.facilitate")
    cards = list(selectors.unsorted_board_cards(phase, table).values_list("pk", "text"))
    cache.set(
        selectors.suggestion_key(phase.pk, table and table.pk),
        {"fingerprint": selectors.cards_fingerprint(cards), "pending": True},
        selectors.SUGGESTION_SECONDS,
    )
    table_id = table and table.pk
    transaction.on_commit(lambda: tasks.suggest_for_board(phase.pk, table_id), robust=True)


@transaction.atomic
def accept_suggestion(
    phase: Phase, groups: list[tuple[str, list[int]]], *, by, table: Table | None = None
) -> list[Cluster]:
    """Make one suggested cluster per (title, card ids), as the facilitator accepted or edited it.

    All or nothing: a card of another board, a card named twice or a group without a title
    refuses the whole grouping.
    """
    workshop = phase.workshop
    if not rules.runs(by, workshop):
        raise PermissionDenied("workshops.facilitate")
    try:
        rules.check_board_write(workshop, phase, "cluster")
    except rules.BoardRefusal as refusal:
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
    cache.delete(selectors.suggestion_key(phase.pk, table and table.pk))
    record_activity(
        kind="workshop.suggestion_accepted",
        scope=workshop,
        actor=by,
        data={"actor": str(by), "workshop": workshop.title, "count": len(made)},
        public=False,
    )
    return made


# Making a proposal an action -------------------------------------------------------------------


def action_description(proposal: Proposal, lineage: selectors.Lineage, protocol_url: str) -> str:
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
    right: rules.PromotionRight | None = None,
) -> Action:
    """Make the proposal a new action of the plan (status planned, while the plan is a draft or in
    consultation) and link the proposal to it; a proposal is promoted once. `protocol_url` (the
    absolute address, where the caller knows it) is quoted in the action's description.

    `right` is the request's decision of who may promote to which plans (the page decided it to
    offer the plans); without it the service decides here, so it never writes unchecked."""
    proposal = Proposal.objects.select_for_update().select_related("workshop").get(pk=proposal.pk)
    workshop = proposal.workshop
    if right is None:
        plans = LocalActionPlan.objects.select_related("partnership").filter(pk=plan.pk)
        right = rules.promotion_right(by, workshop, plans)
    plan = right.plan_for(by, workshop, plan.pk)
    if plan is None:
        raise PermissionDenied("workshops.promote_proposal")
    if proposal.version != expected_version:
        raise EditConflict(proposal, ["action"])
    if proposal.action_id is not None:
        raise ValidationError({"proposal": _("This proposal is already an action of a plan.")})
    protocol_url = protocol_url or reverse("workshops:protocol", args=[workshop.pk])
    description = action_description(proposal, selectors.proposal_lineage(proposal), protocol_url)
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
    # Workshop-wide, as the proposals are: every screen shows every table's proposals.
    emit(
        workshop.pk,
        "proposal.promoted",
        {"id": proposal.pk, "action": action.number, "plan": plan.title},
    )
    return action
