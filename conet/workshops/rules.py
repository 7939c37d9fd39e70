"""Who may do what on a Future Workshop, and what each phase allows.

People with an account: a city's coordinator sets up workshops for the city (its Local Support
Group), the network's staff (coordinator, lead expert) for the network or any partner city; they and
the facilitators they name run the workshop. Platform admins may do everything.

Participants have no account; they act through their device token. What they may do depends on the
phase and its step, declared once here in PHASE_FEATURES, and on the board (locked) and their own
standing (removed), and on their pace (limits.py). Services call `check_participant` /
`check_board_write` before every write.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.utils.translation import gettext_lazy as _

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.accounts.rules import is_platform_admin
from conet.actionplans.models import Action, LocalActionPlan
from conet.networks.models import City, Network, Partnership
from conet.workshops.models import Card, Participant, Phase, Workshop

Kind = Phase.Kind
Step = Phase.Step
ALL_STEPS = frozenset(Step.values)

# What each phase allows, and in which of its steps. "card": write a card; "respond": link a card
# to a chosen critique cluster; "dot": dot voting; "cluster": sort cards into clusters;
# "proposal": write or edit a proposal; "help": sign up to help with a proposal.
PHASE_FEATURES: dict[str, dict[str, frozenset[str]]] = {
    Kind.CRITIQUE: {
        "card": frozenset({Step.WRITE}),
        "cluster": ALL_STEPS,
        "dot": frozenset({Step.VOTE}),
    },
    Kind.FANTASY: {
        "card": frozenset({Step.WRITE}),
        "respond": frozenset({Step.WRITE}),
        "cluster": ALL_STEPS,
        "dot": frozenset({Step.VOTE}),
    },
    Kind.IMPLEMENTATION: {
        "proposal": ALL_STEPS,
        "help": ALL_STEPS,
    },
}

# What participants may do themselves (the facilitator may also cluster).
PARTICIPANT_ACTIONS = ("card", "dot", "proposal", "help", "cluster")
NETWORK_STAFF = (Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT)


class BoardRefusal(Exception):
    """A write the board does not allow now; `code` for machines, `message` for people."""

    def __init__(self, code: str, message):
        self.code = code
        self.message = str(message)
        super().__init__(f"{code}: {self.message}")


def phase_allows(phase: Phase | None, action: str) -> bool:
    if phase is None or phase.state != Phase.State.OPEN:
        return False
    return phase.step in PHASE_FEATURES.get(phase.kind, {}).get(action, frozenset())


def check_not_finished(workshop: Workshop) -> None:
    """A finished workshop is a record: its board, tables, phases, participants and settings stay
    as they were (the protocol, the photos of paper boards and the follow-up go on)."""
    if workshop.status == Workshop.Status.FINISHED:
        raise BoardRefusal("finished", _("This workshop has ended."))


def check_board_write(workshop: Workshop, phase: Phase | None, action: str) -> None:
    """The board's own rules, whoever writes: not locked, the phase open, the action allowed in it."""
    check_not_finished(workshop)
    if workshop.locked:
        raise BoardRefusal("locked", _("The facilitator has locked the board."))
    if phase is None or phase.state == Phase.State.PENDING:
        raise BoardRefusal("phase_not_open", _("This phase has not started yet."))
    if phase.state == Phase.State.CLOSED:
        raise BoardRefusal("phase_closed", _("This phase is closed."))
    if not phase_allows(phase, action):
        raise BoardRefusal("not_in_this_phase", _("That is not possible in this phase."))


def check_participant(participant: Participant, workshop: Workshop, phase, action: str) -> None:
    if participant.workshop_id != workshop.pk:
        raise BoardRefusal("not_participant", _("You have not joined this workshop."))
    if participant.removed:
        raise BoardRefusal("removed", _("The facilitator has removed you from this workshop."))
    if action == "cluster" and not workshop.participants_may_cluster:
        raise BoardRefusal("facilitator_only", _("Only the facilitator sorts the cards here."))
    check_board_write(workshop, phase, action)
    # Last, so that only a write the board would take counts against the participant's pace.
    from conet.workshops import limits  # here: limits.py builds on BoardRefusal above

    limits.count_write(participant.pk, action)


# People with an account -------------------------------------------------------------------------


def _scope(obj) -> tuple[int | None, int | None]:
    """(network id, city id) of a workshop, a city, a network or a partnership."""
    if isinstance(obj, Workshop):
        return obj.network_id, obj.city_id
    if isinstance(obj, City):
        return None, obj.pk
    if isinstance(obj, Network):
        return obj.pk, None
    if isinstance(obj, Partnership):
        return obj.network_id, obj.city_id
    return None, None


@rules.predicate
def coordinates_the_city(user, obj) -> bool:
    _network_id, city_id = _scope(obj)
    return city_id is not None and roles_of(user).in_city(city_id, Role.CITY_COORDINATOR)


@rules.predicate
def is_network_staff(user, obj) -> bool:
    """Staff of the workshop's network, or of a network the workshop's city is partner of."""
    network_id, city_id = _scope(obj)
    roles = roles_of(user)
    if network_id is not None:
        return roles.in_network(network_id, *NETWORK_STAFF)
    if city_id is None:
        return False
    networks = {n for role, n in roles.network_roles if role in NETWORK_STAFF}
    return (
        bool(networks)
        and Partnership.objects.filter(city_id=city_id, network_id__in=networks).exists()
    )


@rules.predicate
def facilitates(user, workshop) -> bool:
    if not isinstance(workshop, Workshop) or not user.is_authenticated:
        return False
    if workshop.created_by_id == user.pk:
        return True
    return workshop.facilitators.filter(pk=user.pk).exists()


may_set_up = is_platform_admin | coordinates_the_city | is_network_staff
may_facilitate = may_set_up | facilitates

rules.add_perm("workshops.create_workshop", may_set_up)
rules.add_perm("workshops.manage_workshop", may_set_up)
rules.add_perm("workshops.facilitate", may_facilitate)


# Results and follow-up --------------------------------------------------------------------------


def runs(user, workshop: Workshop) -> bool:
    return user is not None and user.has_perm("workshops.facilitate", workshop)


def may_view_results(user, workshop: Workshop) -> bool:
    """A finished workshop's record is public (residents' own words, without names); before the
    end only the people running it see it."""
    return workshop.status == Workshop.Status.FINISHED or runs(user, workshop)


def sees_hidden_cards(user, workshop: Workshop) -> bool:
    """The text of a hidden card and the authors' names are for the people running the workshop."""
    return runs(user, workshop)


def card_author(card: Card, workshop: Workshop, *, names_shown: bool = True) -> str | None:
    """The name shown with a card, or None. The one rule for every screen and record: never on a
    workshop with anonymous cards, never for a card without a participant (the facilitator's);
    in the live room everyone sees the names people chose, in the record (protocol, API) only the
    people running the workshop (`names_shown=sees_hidden_cards(...)`)."""
    if not names_shown or workshop.anonymous_cards or card.participant is None:
        return None
    return card.participant.public_name


rules.add_perm(
    "workshops.view_results",
    rules.predicate(
        lambda user, workshop: isinstance(workshop, Workshop) and may_view_results(user, workshop),
        name="views_results",
    ),
)


def plan_belongs_to_workshop(plan: LocalActionPlan, workshop: Workshop) -> bool:
    partnership = plan.partnership
    if workshop.city_id is not None:
        return partnership.city_id == workshop.city_id
    return workshop.network_id is not None and partnership.network_id == workshop.network_id


@dataclass(frozen=True)
class PromotionRight:
    """Which plans a person may make a workshop's proposals actions of: decided once per request
    (`promotion_right`) and handed to the service, which then need not ask again.

    The person must run the workshop *and* be allowed to edit the plan: the city's coordinator,
    a platform admin, or a facilitator who is an LSG member of a plan open to members."""

    user_id: int | None
    workshop_id: int
    plans: tuple[LocalActionPlan, ...] = ()

    def plan_for(self, by, workshop: Workshop, plan_id: int) -> LocalActionPlan | None:
        """The plan as decided on, or None where this decision does not cover the write."""
        if by is None or by.pk != self.user_id or workshop.pk != self.workshop_id:
            return None
        return next((plan for plan in self.plans if plan.pk == plan_id), None)


def promotion_right(user, workshop: Workshop, plans: Iterable[LocalActionPlan]) -> PromotionRight:
    """`plans` (with their partnerships) is only read when the person runs the workshop."""
    allowed: tuple[LocalActionPlan, ...] = ()
    if runs(user, workshop):
        allowed = tuple(
            plan
            for plan in plans
            if plan_belongs_to_workshop(plan, workshop)
            and user.has_perm("actionplans.edit_content", plan)
        )
    return PromotionRight(user_id=user and user.pk, workshop_id=workshop.pk, plans=allowed)


def may_promote(user, workshop: Workshop, plan: LocalActionPlan) -> bool:
    return bool(promotion_right(user, workshop, [plan]).plans)


def action_visible(user, action: Action) -> bool:
    """What became of a proposal in the plan is public once the plan is launched; in a working
    plan only for those who may read the working plan."""
    plan = action.plan
    launched = (LocalActionPlan.Status.APPROVED, LocalActionPlan.Status.IMPLEMENTATION)
    return plan.status in launched or (
        user is not None and user.has_perm("actionplans.view_working_plan", plan)
    )
