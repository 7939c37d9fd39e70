"""Reads shared by the consultation pages and the API, each in a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Abs
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conet.consultations.models import (
    Consultation,
    OpinionResult,
    Participant,
    Statement,
    Vote,
)

MAP_SIZE = 400  # the opinion map's viewBox is MAP_SIZE × MAP_SIZE
MAP_MARGIN = 16
GROUP_LETTERS = "ABCDE"
CONSENSUS_SHOWN = 5


def consultation_by_slug(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("city", "network"), slug=slug)


def open_consultations():
    now = timezone.now()
    return (
        Consultation.objects.filter(opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("city")
        .annotate(statement_count=Count("statements", filter=Q(statements__status="accepted")))
        .order_by("-opens_at", "pk")
    )


def open_consultations_of(city, network=None):
    """The city's open consultations, its own and those it holds within `network`."""
    found = open_consultations().filter(city=city)
    if network is not None:
        found = found.filter(Q(network__isnull=True) | Q(network=network))
    return found


def closed_consultations_of(city):
    """The city's closed consultations, the latest first."""
    return (
        Consultation.objects.filter(city=city, closes_at__lte=timezone.now())
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-closes_at", "pk")
    )


def cities_user_may_consult(user):
    """The cities in which `user` may open a consultation (one query), for the "new" form."""
    from conet.accounts.models import Role
    from conet.accounts.roles import roles_of
    from conet.networks.models import City

    if not user.is_authenticated:
        return City.objects.none()
    if user.is_active and user.is_staff:
        return City.objects.order_by("name")
    roles = roles_of(user)
    city_ids = {c for role, c in roles.city_roles if role == Role.CITY_COORDINATOR}
    network_ids = {n for role, n in roles.network_roles if role == Role.NETWORK_COORDINATOR}
    return (
        City.objects.filter(Q(pk__in=city_ids) | Q(partnerships__network_id__in=network_ids))
        .distinct()
        .order_by("name")
    )


def published_statements(consultation: Consultation):
    return consultation.statements.filter(status=Statement.Status.ACCEPTED).order_by("number")


def next_statement(consultation: Consultation, participant: Participant | None) -> Statement | None:
    """The statement to show next: one the participant has not voted on, least-voted first, then the
    most uncertain (agrees and disagrees closest to even), then the oldest. One query."""
    statements = published_statements(consultation)
    if participant is not None:
        statements = statements.exclude(votes__participant=participant)
    return (
        statements.annotate(
            vote_count=Count("votes"),
            lead=Abs(
                Count("votes", filter=Q(votes__value=1)) - Count("votes", filter=Q(votes__value=-1))
            ),
        )
        .order_by("vote_count", "lead", "number")
        .first()
    )


def progress(consultation: Consultation, participant: Participant | None) -> tuple[int, int]:
    """(statements the participant voted on, published statements): one query."""
    counts = published_statements(consultation).aggregate(
        total=Count("pk", distinct=True),
        voted=Count("votes", filter=Q(votes__participant=participant), distinct=True)
        if participant
        else Count("pk", filter=Q(pk=None)),
    )
    return counts["voted"], counts["total"]


@dataclass
class Bar:
    label: str
    agree: int
    disagree: int
    passes: int

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes

    def _share(self, count: int) -> float:
        return 100 * count / self.votes if self.votes else 0.0

    @property
    def agree_width(self) -> str:
        return f"{self._share(self.agree):.1f}"

    @property
    def disagree_width(self) -> str:
        return f"{self._share(self.disagree):.1f}"

    @property
    def agree_percent(self) -> int:
        return round(self._share(self.agree))

    @property
    def disagree_percent(self) -> int:
        return round(self._share(self.disagree))


@dataclass
class StatementRow:
    statement: Statement
    bars: list[Bar]
    consensus_agree: float = 0.0
    consensus_disagree: float = 0.0


@dataclass
class GroupView:
    id: int
    letter: str
    size: int
    hull_points: str  # SVG polygon points
    centre: tuple[str, str]
    representative: list[dict] = field(default_factory=list)


@dataclass
class ResultsPage:
    consultation: Consultation
    result: OpinionResult | None
    statements: dict[int, Statement]
    groups: list[GroupView]
    points: list[tuple[str, str, int]]  # x, y, group (−1: not placed)
    own_position: tuple[str, str] | None
    own_group: str | None
    rows: list[StatementRow]
    consensus: list[dict]
    map_size: int = MAP_SIZE

    @property
    def divisive(self) -> list[StatementRow]:
        """The statements the groups see most differently: lowest group-aware consensus either way."""
        if len(self.groups) < 2:
            return []
        ranked = sorted(self.rows, key=lambda row: max(row.consensus_agree, row.consensus_disagree))
        return ranked[:5]


def _scaler(data: dict):
    coordinates = [(row[1], row[2]) for row in data.get("participants", [])]
    if not coordinates:
        return lambda x, y: (f"{MAP_SIZE / 2:.1f}", f"{MAP_SIZE / 2:.1f}")
    xs = [x for x, _y in coordinates]
    ys = [y for _x, y in coordinates]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = (MAP_SIZE - 2 * MAP_MARGIN) / span

    def to_map(x: float, y: float) -> tuple[str, str]:
        # y grows downwards in SVG; flip it so the second axis points upwards. Strings with a dot,
        # so a template in a language with decimal commas still writes valid SVG.
        return (
            f"{MAP_SIZE / 2 + (x - mid_x) * scale:.1f}",
            f"{MAP_SIZE / 2 - (y - mid_y) * scale:.1f}",
        )

    return to_map


def results_page(consultation: Consultation, participant: Participant | None) -> ResultsPage:
    """Everything the results page draws: two queries (the stored result, the statements)."""
    result = OpinionResult.objects.filter(consultation=consultation).first()
    statements = {s.pk: s for s in consultation.statements.all()}
    data = result.data if result else {}
    to_map = _scaler(data)
    points, own_position, own_group = [], None, None
    for pid, x, y, group in data.get("participants", []):
        mapped = to_map(x, y)
        points.append((*mapped, group))
        if participant is not None and pid == participant.pk:
            own_position = mapped
            own_group = GROUP_LETTERS[group] if 0 <= group < len(GROUP_LETTERS) else None
    groups = []
    for group in data.get("groups", []):
        hull = " ".join(f"{a},{b}" for a, b in (to_map(x, y) for x, y in group["hull"]))
        representative = [
            {**item, "text": statements[item["statement"]].text}
            for item in group["representative"]
            if item["statement"] in statements
        ]
        groups.append(
            GroupView(
                group["id"],
                GROUP_LETTERS[group["id"]],
                group["size"],
                hull,
                to_map(*group["centre"]),
                representative,
            )
        )
    rows = []
    for sid, stats in data.get("statements", {}).items():
        statement = statements.get(int(sid))
        if statement is None or statement.status != Statement.Status.ACCEPTED:
            continue
        bars = [Bar(GROUP_LETTERS[g], *counts) for g, counts in enumerate(stats["groups"])]
        if bars:
            total = Bar("", *(sum(bar_values) for bar_values in zip(*stats["groups"], strict=True)))
            bars.insert(0, total)
        rows.append(
            StatementRow(statement, bars, stats["consensus_agree"], stats["consensus_disagree"])
        )
    rows.sort(key=lambda row: row.statement.number)
    # Common ground: a significant majority of everyone, leaning the same way in every group;
    # strongest group-aware consensus first, at most five each way (as Pol.is shows them).
    stats = data.get("statements", {})
    common = [
        {
            **item,
            "text": statements[item["statement"]].text,
            "group_aware": stats.get(str(item["statement"]), {}).get(
                f"consensus_{item['direction']}", 0
            ),
        }
        for item in data.get("consensus", [])
        if item.get("every_group") and item["statement"] in statements
    ]
    common.sort(key=lambda item: -item["group_aware"])
    consensus = [item for item in common if item["direction"] == "agree"][:CONSENSUS_SHOWN] + [
        item for item in common if item["direction"] == "disagree"
    ][:CONSENSUS_SHOWN]
    return ResultsPage(
        consultation, result, statements, groups, points, own_position, own_group, rows, consensus
    )


def moderation_queue(consultation: Consultation):
    """Statements a moderator has not looked at yet, oldest first, then the rest newest first."""
    return consultation.statements.select_related("moderated_by").order_by(
        F("moderated_at").asc(nulls_first=True), "-created_at"
    )


def plans_for_consultation_log(consultation: Consultation, user) -> list:
    """The Local Action Plans whose consultation log `user` may write to with this consultation's
    statements: the plan of the consultation's city (in its network, if it has one). One query."""
    from conet.actionplans.models import LocalActionPlan

    if not user.is_authenticated:
        return []
    plans = LocalActionPlan.objects.filter(partnership__city_id=consultation.city_id)
    if consultation.network_id:
        plans = plans.filter(partnership__network_id=consultation.network_id)
    plans = plans.select_related("partnership__city", "partnership__network").order_by("pk")
    return [plan for plan in plans if user.has_perm("actionplans.comment", plan)]


def linkable_actions(consultation: Consultation, user) -> list:
    """The plan actions `user` may link this consultation's statements to: those of the plans of
    the consultation's city (in its network, if it has one) they may edit. Two queries."""
    from conet.actionplans.models import Action, LocalActionPlan

    if not user.is_authenticated:
        return []
    plans = LocalActionPlan.objects.filter(partnership__city_id=consultation.city_id)
    if consultation.network_id:
        plans = plans.filter(partnership__network_id=consultation.network_id)
    plans = plans.select_related("partnership__city", "partnership__network")
    allowed = [p for p in plans if user.has_perm("consultations.link_statement_to_action", p)]
    by_pk = {plan.pk: plan for plan in allowed}
    actions = list(Action.objects.filter(plan__in=allowed).order_by("plan_id", "number"))
    for action in actions:
        action.plan = by_pk[action.plan_id]
    return actions


def statement_links(consultation: Consultation, user) -> list[tuple[Statement, list]]:
    """Each statement of the consultation that led to plan actions, with the actions `user` may
    see, by statement number. Two queries (the links, the plans' launched versions)."""
    from conet.actionplans.selectors import visible_actions

    links = list(
        Statement.actions.through.objects.filter(statement__consultation=consultation)
        .select_related(
            "statement", "action__plan__partnership__network", "action__plan__partnership__city"
        )
        .order_by("statement__number", "action__plan_id", "action__number")
    )
    shown = {action.pk for action in visible_actions([link.action for link in links], user)}
    grouped: dict[int, tuple[Statement, list]] = {}
    for link in links:
        if link.action_id in shown and link.statement.status == Statement.Status.ACCEPTED:
            grouped.setdefault(link.statement_id, (link.statement, []))[1].append(link.action)
    return list(grouped.values())


def statements_behind(actions, user) -> dict[int, list]:
    """Action id → the published statements that led to it, as origins (actionplans/origins.py).
    Consultations are public once open. One query."""
    from conet.actionplans.origins import Origin

    found: dict[int, list] = defaultdict(list)
    links = (
        Statement.actions.through.objects.filter(
            action_id__in=[action.pk for action in actions],
            statement__status=Statement.Status.ACCEPTED,
            statement__consultation__opens_at__lte=timezone.now(),
        )
        .select_related("statement__consultation")
        .order_by("statement__consultation__opens_at", "statement__number")
    )
    for link in links:
        statement = link.statement
        consultation = statement.consultation
        found[link.action_id].append(
            Origin(
                kind=str(_("Consultation statement")),
                text=statement.text,
                url=reverse("consultations:results", args=[consultation.slug])
                + f"#statement-{statement.number}",
                source=consultation.question,
                when=consultation.opens_at,
                language=statement.language,
            )
        )
    return found


def actions_led_to(consultation: Consultation, user) -> dict[int, list]:
    """The plan actions the consultation's statements led to, those `user` may see (see
    actionplans' visible_actions), by statement id. One query for the links, and visible_actions'
    one for plans the reader does not work on, however many statements and links."""
    from conet.actionplans.selectors import visible_actions

    links = list(
        Statement.actions.through.objects.filter(statement__consultation_id=consultation.pk)
        .select_related("action__plan__partnership__network", "action__plan__partnership__city")
        .order_by("action__plan_id", "action__number")
    )
    shown = {action.pk for action in visible_actions([link.action for link in links], user)}
    found: dict[int, list] = {}
    for link in links:
        if link.action_id in shown:
            found.setdefault(link.statement_id, []).append(link.action)
    return found


@dataclass
class ConsultationStep:
    """A consultation as a step of a focus area's story."""

    consultation: Consultation
    groups: list[tuple[str, int]]  # letter, size
    common_ground: list[dict]  # direction, text
    led_to: list[tuple[Statement, list]]  # statement, the actions the reader may see


def focus_area_consultations(partnership, user, shown: int = 3) -> list[ConsultationStep]:
    """The consultations of the focus area's city (its own, and those in the area's network),
    oldest first, with their groups, common ground and what their statements led to. Four
    queries, however many consultations and links."""
    from conet.actionplans.selectors import visible_actions

    consultations = list(
        Consultation.objects.filter(city_id=partnership.city_id, opens_at__lte=timezone.now())
        .filter(Q(network__isnull=True) | Q(network_id=partnership.network_id))
        .select_related("result")
        .order_by("opens_at", "pk")
    )
    ids = [consultation.pk for consultation in consultations]
    links = list(
        Statement.actions.through.objects.filter(
            statement__consultation_id__in=ids, statement__status=Statement.Status.ACCEPTED
        )
        .select_related(
            "statement", "action__plan__partnership__network", "action__plan__partnership__city"
        )
        .order_by("statement__number", "action__number")
    )
    shown_actions = {a.pk for a in visible_actions([link.action for link in links], user)}
    wanted = set()
    for consultation in consultations:
        data = consultation.result.data if hasattr(consultation, "result") else {}
        wanted |= {
            item["statement"] for item in data.get("consensus", []) if item.get("every_group")
        }
    texts = (
        dict(Statement.objects.filter(pk__in=wanted).values_list("pk", "text")) if wanted else {}
    )
    steps = []
    for consultation in consultations:
        data = consultation.result.data if hasattr(consultation, "result") else {}
        led_to: dict[int, tuple[Statement, list]] = {}
        for link in links:
            if (
                link.statement.consultation_id == consultation.pk
                and link.action_id in shown_actions
            ):
                led_to.setdefault(link.statement_id, (link.statement, []))[1].append(link.action)
        common = [
            {"direction": item["direction"], "text": texts[item["statement"]]}
            for item in data.get("consensus", [])
            if item.get("every_group") and item["statement"] in texts
        ]
        steps.append(
            ConsultationStep(
                consultation=consultation,
                groups=[(GROUP_LETTERS[g["id"]], g["size"]) for g in data.get("groups", [])],
                common_ground=common[:shown],
                led_to=list(led_to.values()),
            )
        )
    return steps


# A run of new participants from one address: each joined at most this long after the one before;
# from any addresses (a script that changes address), at most this long.
BURST_GAP_SECONDS = 300
BURST_GAP_ANY_ADDRESS_SECONDS = 10


@dataclass
class Burst:
    """New device participants from one client address in a run, whose votes agree."""

    key: str  # the address's hash and the run's first participant: stable while the run grows
    participant_ids: list[int]
    started_at: datetime
    ended_at: datetime
    agreement: int  # % of the run's votes that are the run's most common vote on their statement
    votes: int
    set_aside: int  # participants a moderator has set aside
    without_script: int  # participants who came in by the plain form
    addresses: int  # distinct client addresses among them

    @property
    def size(self) -> int:
        return len(self.participant_ids)

    @property
    def is_set_aside(self) -> bool:
        return self.set_aside == self.size


def _runs(rows, gap: int, *, same_address: bool) -> list[list]:
    """Consecutive rows (ordered by address if `same_address`, then time) at most `gap` apart."""
    runs: list[list] = []
    for row in rows:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and (not same_address or last[1] == row[1])
            and (row[2] - last[2]).total_seconds() <= gap
        ):
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def suspicious_bursts(consultation: Consultation) -> list[Burst]:
    """Runs of at least CONET_CONSULTATION_BURST_SIZE new participants whose votes agree at least
    CONET_CONSULTATION_BURST_AGREEMENT %, newest first: from one client address, each within
    BURST_GAP_SECONDS of the last, or from any addresses, each within BURST_GAP_ANY_ADDRESS_SECONDS
    (a script that changes its address). A class voting from one Wi-Fi makes a run too, but its
    votes differ; a script's agree. Two queries."""
    size = settings.CONET_CONSULTATION_BURST_SIZE
    threshold = settings.CONET_CONSULTATION_BURST_AGREEMENT
    rows = list(
        consultation.participants.filter(user__isnull=True)
        .exclude(address_hash="")
        .order_by("address_hash", "created_at", "pk")
        .values_list("pk", "address_hash", "created_at", "set_aside_at", "admission")
    )
    runs = [run for run in _runs(rows, BURST_GAP_SECONDS, same_address=True) if len(run) >= size]
    by_address = {frozenset(row[0] for row in run) for run in runs}
    rows.sort(key=lambda row: (row[2], row[0]))
    runs += [
        run
        for run in _runs(rows, BURST_GAP_ANY_ADDRESS_SECONDS, same_address=False)
        if len(run) >= size and frozenset(row[0] for row in run) not in by_address
    ]
    if not runs:
        return []
    ids = {row[0] for run in runs for row in run}
    votes_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for participant_id, statement_id, value in Vote.objects.filter(
        participant_id__in=ids
    ).values_list("participant_id", "statement_id", "value"):
        votes_of[participant_id].append((statement_id, value))
    bursts = []
    for run in runs:
        values: dict[int, Counter] = defaultdict(Counter)
        for row in run:
            for statement_id, value in votes_of[row[0]]:
                values[statement_id][value] += 1
        per_statement = values.values()
        votes = sum(sum(counter.values()) for counter in per_statement)
        common = sum(max(counter.values()) for counter in per_statement)
        agreement = round(100 * common / votes) if votes else 0
        if agreement < threshold:
            continue
        addresses = len({row[1] for row in run})
        bursts.append(
            Burst(
                key=f"{run[0][1] if addresses == 1 else 'any'}-{run[0][0]}",
                participant_ids=[row[0] for row in run],
                started_at=run[0][2],
                ended_at=run[-1][2],
                agreement=agreement,
                votes=votes,
                set_aside=sum(1 for row in run if row[3] is not None),
                without_script=sum(1 for row in run if row[4] == Participant.Admission.PLAIN),
                addresses=addresses,
            )
        )
    bursts.sort(key=lambda burst: burst.started_at, reverse=True)
    return bursts
