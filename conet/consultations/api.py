"""API for consultations, their statements, one's own votes, and the opinion groups."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from conet.actionplans.models import Action
from conet.actionplans.selectors import plan_for
from conet.api.auth import WRITE_AUTH, ApiTokenAuth
from conet.consultations import selectors, services
from conet.consultations.models import Consultation, Statement, Vote
from conet.networks.models import City, Network

router = Router(tags=["consultations"])


class ConsultationOut(Schema):
    slug: str
    question: str
    description: str
    language: str
    city: str = Field(..., alias="city.slug")
    network: str | None = None
    opens_at: datetime
    closes_at: datetime | None
    moderation: str
    participants_may_add: bool
    is_open: bool
    version: int
    url: str = Field(..., alias="get_absolute_url")

    @staticmethod
    def resolve_network(consultation) -> str | None:
        return consultation.network.slug if consultation.network_id else None


class ConsultationIn(Schema):
    city: str = Field(..., description="the city's slug")
    network: str | None = Field(None, description="slug of a network the city is a partner in")
    slug: str
    question: str
    description: str = ""
    language: str = "en"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    moderation: Consultation.Moderation = Consultation.Moderation.AFTER
    participants_may_add: bool = True
    seed_statements: list[str] = []


class LedToOut(Schema):
    """A plan action, named as the action plans' part of the API names it."""

    network: str = Field(..., alias="plan.partnership.network.slug")
    city: str = Field(..., alias="plan.partnership.city.slug")
    number: int
    title: str
    url: str = Field(..., alias="get_absolute_url")


class StatementOut(Schema):
    number: int
    text: str
    language: str
    status: str
    is_seed: bool
    led_to: list[LedToOut] = Field(
        ..., description="the plan actions the statement led to, those the caller may see"
    )

    @staticmethod
    def resolve_led_to(statement, context) -> list:
        # Worked out once per request for the whole consultation: a page of statements costs the
        # same few queries as one (selectors.actions_led_to).
        request = context["request"]
        known = getattr(request, "_conet_led_to", None)
        if known is None or known[0] != statement.consultation_id:
            caller = getattr(request, "auth", None) or ApiTokenAuth()(request) or request.user
            known = (
                statement.consultation_id,
                selectors.actions_led_to(statement.consultation, caller),
            )
            request._conet_led_to = known
        return known[1].get(statement.pk, [])


class LedToIn(Schema):
    network: str = Field(..., description="the slug of the plan's network")
    city: str = Field(..., description="the slug of the plan's city")
    number: int = Field(..., description="the action's number in the plan")


class StatementIn(Schema):
    text: str


class ModerationIn(Schema):
    accept: bool
    reason: str = ""


class VoteIn(Schema):
    value: int = Field(..., description="1 agree, -1 disagree, 0 pass")


class VoteOut(Schema):
    statement: int = Field(..., alias="statement.number")
    value: int
    created_at: datetime


class RateLimitedOut(Schema):
    detail: str


def _consultation(slug: str) -> Consultation:
    return selectors.consultation_by_slug(slug)


def _statement(consultation: Consultation, number: int) -> Statement:
    statement = get_object_or_404(Statement, consultation=consultation, number=number)
    statement.consultation = consultation
    return statement


def _too_many():
    return 429, {"detail": _("Too many requests; wait a minute, then go on.")}


@router.get("/consultations", response=list[ConsultationOut])
@paginate
def list_consultations(request):
    return selectors.open_consultations().select_related("network")


@router.post("/consultations", response={201: ConsultationOut}, auth=WRITE_AUTH)
def create_consultation(request, payload: ConsultationIn):
    city = get_object_or_404(City, slug=payload.city)
    fields = payload.dict(exclude={"city", "network", "opens_at"}, exclude_none=True)
    if payload.opens_at:
        fields["opens_at"] = payload.opens_at
    network = get_object_or_404(Network, slug=payload.network) if payload.network else None
    return 201, services.create_consultation(city, by=request.user, network=network, **fields)


@router.get("/consultations/{slug}", response=ConsultationOut)
def get_consultation(request, slug: str):
    return _consultation(slug)


@router.get("/consultations/{slug}/statements", response=list[StatementOut])
@paginate
def list_statements(request, slug: str):
    """Published statements; moderators see every statement, with those waiting or rejected."""
    consultation = _consultation(slug)
    caller = ApiTokenAuth()(request) or request.user  # reading is open; a token shows more
    if caller.has_perm("consultations.moderate", consultation):
        return consultation.statements.order_by("number")
    return selectors.published_statements(consultation)


@router.post(
    "/consultations/{slug}/statements",
    response={201: StatementOut, 429: RateLimitedOut},
    auth=WRITE_AUTH,
)
def add_statement(request, slug: str, payload: StatementIn):
    consultation = _consultation(slug)
    participant = services.participant_for(consultation, user=request.user)
    try:
        statement = services.add_statement(
            consultation, by=request.user, participant=participant, text=payload.text
        )
    except services.RateLimited:
        return _too_many()
    return 201, statement


@router.post(
    "/consultations/{slug}/statements/{number}/moderation",
    response=StatementOut,
    auth=WRITE_AUTH,
)
def moderate_statement(request, slug: str, number: int, payload: ModerationIn):
    statement = _statement(_consultation(slug), number)
    return services.moderate_statement(
        statement, by=request.user, accept=payload.accept, reason=payload.reason
    )


def _action(network: str, city: str, number: int):
    plan = plan_for(network, city)
    action = get_object_or_404(Action, plan=plan, number=number)
    action.plan = plan
    return action


@router.post(
    "/consultations/{slug}/statements/{number}/actions",
    response={201: StatementOut},
    auth=WRITE_AUTH,
)
def link_statement_to_action(request, slug: str, number: int, payload: LedToIn):
    """Record that the statement led to an action of the plan of the consultation's city (in the
    consultation's network, if it has one): for whoever may edit that plan."""
    statement = _statement(_consultation(slug), number)
    services.link_statement_to_action(
        statement, _action(payload.network, payload.city, payload.number), by=request.user
    )
    return 201, statement


@router.delete(
    "/consultations/{slug}/statements/{number}/actions/{network}/{city}/{action}",
    response={204: None},
    auth=WRITE_AUTH,
)
def unlink_statement_from_action(
    request, slug: str, number: int, network: str, city: str, action: int
):
    statement = _statement(_consultation(slug), number)
    services.unlink_statement_from_action(
        statement, _action(network, city, action), by=request.user
    )
    return 204, None


@router.get("/consultations/{slug}/votes/mine", response=list[VoteOut], auth=WRITE_AUTH)
def my_votes(request, slug: str):
    consultation = _consultation(slug)
    return (
        Vote.objects.filter(participant__consultation=consultation, participant__user=request.user)
        .select_related("statement")
        .order_by("statement__number")
    )


@router.put(
    "/consultations/{slug}/votes/{number}",
    response={200: VoteOut, 429: RateLimitedOut},
    auth=WRITE_AUTH,
)
def cast_vote(request, slug: str, number: int, payload: VoteIn):
    consultation = _consultation(slug)
    statement = _statement(consultation, number)
    participant = services.participant_for(consultation, user=request.user)
    try:
        return services.cast_vote(participant, statement, payload.value, by=request.user)
    except services.RateLimited:
        return _too_many()


class RepresentativeOut(Schema):
    statement: int
    direction: str
    p: float
    p_test: float
    ratio: float
    ratio_test: float
    count: int
    votes: int


class OpinionGroupOut(Schema):
    id: int
    size: int
    centre: list[float]
    representative: list[RepresentativeOut]


class ConsensusOut(Schema):
    statement: int
    direction: str
    p: float
    p_test: float
    count: int
    votes: int


class StatementCountsOut(Schema):
    statement: int
    groups: list[list[int]] = Field(..., description="[agree, disagree, pass] per group")
    consensus_agree: float
    consensus_disagree: float


class ConsultationResultsOut(Schema):
    computed_at: datetime | None
    votes_used: int
    participants_placed: int
    groups: list[OpinionGroupOut]
    points: list[list[float]] = Field(..., description="[x, y, group] per participant; no ids")
    consensus: list[ConsensusOut]
    statements: list[StatementCountsOut]


@router.get("/consultations/{slug}/results", response=ConsultationResultsOut)
def results(request, slug: str):
    """The stored opinion groups. Statements are named by their number in the consultation."""
    consultation = _consultation(slug)
    stored = services.maybe_recompute(consultation)
    data = stored.data if stored else {}
    number_of = dict(consultation.statements.values_list("pk", "number"))

    def numbered(items):
        return [{**item, "statement": number_of[item["statement"]]} for item in items]

    return {
        "computed_at": stored.computed_at if stored else None,
        "votes_used": stored.votes_used if stored else 0,
        "participants_placed": stored.participants_placed if stored else 0,
        "groups": [
            {**group, "representative": numbered(group["representative"])}
            for group in data.get("groups", [])
        ],
        "points": [[x, y, group] for _pid, x, y, group in data.get("participants", [])],
        "consensus": numbered(data.get("consensus", [])),
        "statements": sorted(
            (
                {"statement": number_of[int(sid)], **counts}
                for sid, counts in data.get("statements", {}).items()
                if int(sid) in number_of
            ),
            key=lambda item: item["statement"],
        ),
    }
