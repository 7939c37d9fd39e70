"""API of the city-to-city support scheme: requests, expert profiles, matches, invitations, visits.

Everything here needs a caller (a personal API token or a signed-in browser): requests and
profiles are working material of the networks, not public pages. Writes follow the same rules
as the pages (conet/exchange/rules.py); edits carry the version they started from (409 if stale).
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from conet.actionplans.models import Action
from conet.api.auth import WRITE_AUTH
from conet.api.pagination import Offset
from conet.core.permissions import require
from conet.exchange import selectors, services
from conet.exchange.models import ExpertInvitation, ExpertProfile, Visit
from conet.networks.models import CoreTask, Partnership

router = Router(tags=["exchange"])


class RequestOut(Schema):
    id: int
    network: str
    city: str
    title: str
    project: str
    plan_action: int | None
    problem: str
    know_how: str
    preferred_start: date | None
    preferred_end: date | None
    languages: list[str]
    budget: Decimal | None
    core_tasks: list[int]
    language: str
    status: str
    version: int
    url: str

    @staticmethod
    def resolve_network(obj):
        return obj.partnership.network.slug

    @staticmethod
    def resolve_city(obj):
        return obj.partnership.city.slug

    @staticmethod
    def resolve_plan_action(obj):
        return obj.plan_action_id

    @staticmethod
    def resolve_languages(obj):
        return obj.language_list

    @staticmethod
    def resolve_core_tasks(obj):
        return [task.number for task in obj.core_tasks.all()]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class RequestIn(Schema):
    network: str
    city: str
    title: str
    project: str
    problem: str
    know_how: str
    plan_action: int | None = None
    preferred_start: date | None = None
    preferred_end: date | None = None
    languages: list[str]
    budget: Decimal | None = None
    core_tasks: list[int] = []
    language: str = "en"


class RequestPatch(Schema):
    version: int
    title: str | None = None
    project: str | None = None
    problem: str | None = None
    know_how: str | None = None
    preferred_start: date | None = None
    preferred_end: date | None = None
    languages: list[str] | None = None
    budget: Decimal | None = None
    core_tasks: list[int] | None = None
    language: str | None = None


# [first day, last day]: a pair of dates. Written as a two-item list, not a tuple, so the OpenAPI
# document says "array of two dates" in a way every client generator reads.
DateRange = Annotated[list[date], Field(min_length=2, max_length=2)]


class ProfileOut(Schema):
    id: int
    name: str
    headline: str
    bio: str
    skills: list[str]
    languages: list[str]
    core_tasks: list[int]
    practices_led: list[str]
    home_city: str
    is_available: bool
    availability: list[DateRange]
    version: int

    @staticmethod
    def resolve_name(obj):
        return obj.user.name

    @staticmethod
    def resolve_skills(obj):
        return obj.skill_list

    @staticmethod
    def resolve_languages(obj):
        return obj.language_list

    @staticmethod
    def resolve_core_tasks(obj):
        return sorted({task.number for task in obj.core_tasks.all()})

    @staticmethod
    def resolve_practices_led(obj):
        return obj.practice_list

    @staticmethod
    def resolve_availability(obj):
        return [(a.starts_on, a.ends_on) for a in obj.availabilities.all()]


class ProfileIn(Schema):
    email: str | None = None  # someone else's profile (network staff, platform admins)
    headline: str
    bio: str = ""
    skills: list[str] = []
    languages: list[str]
    language: str = "en"
    core_tasks: list[int] = []  # ids of core tasks
    practices_led: list[str] = []
    home_city: str = ""
    is_available: bool = True
    availability: list[DateRange] = []


class ProfilePatch(Schema):
    version: int
    headline: str | None = None
    bio: str | None = None
    skills: list[str] | None = None
    languages: list[str] | None = None
    language: str | None = None
    core_tasks: list[int] | None = None
    practices_led: list[str] | None = None
    home_city: str | None = None
    is_available: bool | None = None
    availability: list[DateRange] | None = None


class MatchOut(Schema):
    expert: int
    name: str
    score: float
    reasons: dict[str, float]
    shared_languages: list[str]
    shared_core_tasks: list[str]
    invitation: str | None


class PracticeMatchOut(Schema):
    practice: int
    name: str
    score: float
    reasons: dict[str, float]


class MatchesOut(Schema):
    experts: list[MatchOut]
    practices: list[PracticeMatchOut]


class InvitationIn(Schema):
    expert: int
    message: str = ""


class InvitationOut(Schema):
    id: int
    request: int
    expert: int
    status: str
    message: str
    answer: str
    version: int

    @staticmethod
    def resolve_request(obj):
        return obj.request_id

    @staticmethod
    def resolve_expert(obj):
        return obj.expert_id


class AnswerIn(Schema):
    version: int
    answer: str = ""


class VisitIn(Schema):
    starts_on: date
    ends_on: date
    travel: str = ""
    agenda: str = ""
    experts: list[int] | None = None


class TransferItemIn(Schema):
    action: int
    stage: str
    note: str


class ReportIn(Schema):
    side: str
    understood: str
    adapted: str = ""
    reused: str = ""
    language: str = "en"
    items: list[TransferItemIn] = []


class TransferItemOut(Schema):
    action: int
    action_title: str
    stage: str
    note: str
    action_status: str
    action_progress: int


class ReportOut(Schema):
    side: str
    author: str | None
    understood: str
    adapted: str
    reused: str
    language: str
    items: list[TransferItemOut]


class VisitOut(Schema):
    id: int
    request: int
    starts_on: date
    ends_on: date
    travel: str
    agenda: str
    status: str
    meeting: int | None
    experts: list[int]
    reports: list[ReportOut]


def _visit_out(visit: Visit) -> dict:
    return {
        "id": visit.pk,
        "request": visit.request_id,
        "starts_on": visit.starts_on,
        "ends_on": visit.ends_on,
        "travel": visit.travel,
        "agenda": visit.agenda,
        "status": visit.status,
        "meeting": visit.meeting_id,
        "experts": [expert.pk for expert in visit.experts.all()],
        "reports": [
            {
                "side": report.side,
                "author": report.author.name if report.author else None,
                "understood": report.understood,
                "adapted": report.adapted,
                "reused": report.reused,
                "language": report.language,
                "items": [
                    {
                        "action": item.action_id,
                        "action_title": item.action.title,
                        "stage": item.stage,
                        "note": item.note,
                        "action_status": item.action.status,
                        "action_progress": item.action.progress,
                    }
                    for item in report.items.all()
                ],
            }
            for report in visit.reports.all()
        ],
    }


def _core_tasks(network_id: int, numbers: list[int]) -> list[CoreTask]:
    tasks = list(CoreTask.objects.filter(network_id=network_id, number__in=numbers))
    if len(tasks) != len(set(numbers)):
        raise ValidationError({"core_tasks": _("Choose core tasks of this network.")})
    return tasks


def _languages(codes: list[str]) -> str:
    return ",".join(code.strip() for code in codes if code.strip())


# Requests ---------------------------------------------------------------------------------------


@router.get("/exchange/requests", response=list[RequestOut], auth=WRITE_AUTH)
def list_requests(
    request,
    status: str = "open",
    network: str = "",
    city: str = "",
    core_task: int | None = None,
    language: str = "",
    limit: int = 20,
    offset: Offset = 0,
):
    """Requests, newest first (status "all" for every state); `limit` at most 100."""
    require(request, "exchange.view_requests")
    filters = selectors.RequestFilters(
        status="" if status == "all" else status,
        network=network,
        city=city,
        core_task=core_task,
        language=language,
    )
    limit = max(1, min(limit, 100))
    return list(selectors.requests_list(filters)[max(offset, 0) : max(offset, 0) + limit])


@router.post("/exchange/requests", response={201: RequestOut}, auth=WRITE_AUTH)
def post_request(request, payload: RequestIn):
    partnership = get_object_or_404(
        Partnership.objects.select_related("network", "city"),
        network__slug=payload.network,
        city__slug=payload.city,
    )
    require(request, "exchange.post_request", partnership)
    data = payload.dict(exclude={"network", "city", "core_tasks", "plan_action", "languages"})
    data["languages"] = _languages(payload.languages)
    if payload.plan_action is not None:
        data["plan_action"] = get_object_or_404(Action, pk=payload.plan_action)
    core_tasks = _core_tasks(partnership.network_id, payload.core_tasks)
    created = services.post_request(partnership, by=request.user, core_tasks=core_tasks, **data)
    return 201, selectors.request_for(created.pk)


@router.get("/exchange/requests/{pk}", response=RequestOut, auth=WRITE_AUTH)
def get_request(request, pk: int):
    support = selectors.request_for(pk)
    require(request, "exchange.view_requests", support)
    return support


@router.patch("/exchange/requests/{pk}", response=RequestOut, auth=WRITE_AUTH)
def patch_request(request, pk: int, payload: RequestPatch):
    support = selectors.request_for(pk)
    require(request, "exchange.change_request", support)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if "languages" in changes:
        changes["languages"] = _languages(changes["languages"] or [])
    if "core_tasks" in changes:
        changes["core_tasks"] = _core_tasks(
            support.partnership.network_id, changes["core_tasks"] or []
        )
    services.update_request(
        support, by=request.user, expected_version=payload.version, changes=changes
    )
    return selectors.request_for(pk)


@router.get("/exchange/requests/{pk}/matches", response=MatchesOut, auth=WRITE_AUTH)
def get_matches(request, pk: int, limit: int = 10):
    """Experts and good practices ranked for the request, with each reason between 0 and 1."""
    support = selectors.request_for(pk)
    require(request, "exchange.see_matches", support)
    experts = selectors.expert_matches(support, limit=max(1, min(limit, 50)))
    practices = selectors.practice_matches(support)
    return {
        "experts": [
            {
                "expert": item.profile.pk,
                "name": item.profile.user.name,
                "score": round(item.match.score, 4),
                "reasons": {k: round(v, 4) for k, v in item.match.reasons.items()},
                "shared_languages": item.match.shared_languages,
                "shared_core_tasks": [str(t) for t in item.match.shared_core_tasks],
                "invitation": item.invitation.status if item.invitation else None,
            }
            for item in experts
        ],
        "practices": [
            {
                "practice": item.practice.pk,
                "name": item.practice.name,
                "score": round(item.match.score, 4),
                "reasons": {k: round(v, 4) for k, v in item.match.reasons.items()},
            }
            for item in practices
        ],
    }


@router.post("/exchange/requests/{pk}/invitations", response={201: InvitationOut}, auth=WRITE_AUTH)
def invite(request, pk: int, payload: InvitationIn):
    support = selectors.request_for(pk)
    require(request, "exchange.invite", support)
    expert = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=payload.expert)
    return 201, services.invite(support, expert, by=request.user, message=payload.message)


@router.post("/exchange/invitations/{pk}/accept", response=InvitationOut, auth=WRITE_AUTH)
def accept(request, pk: int, payload: AnswerIn):
    invitation = get_object_or_404(ExpertInvitation.objects.select_related("expert"), pk=pk)
    return services.accept_invitation(
        invitation, by=request.user, expected_version=payload.version, answer=payload.answer
    )


@router.post("/exchange/invitations/{pk}/decline", response=InvitationOut, auth=WRITE_AUTH)
def decline(request, pk: int, payload: AnswerIn):
    invitation = get_object_or_404(ExpertInvitation.objects.select_related("expert"), pk=pk)
    return services.decline_invitation(
        invitation, by=request.user, expected_version=payload.version, answer=payload.answer
    )


# Visits -----------------------------------------------------------------------------------------


@router.post("/exchange/requests/{pk}/visits", response={201: VisitOut}, auth=WRITE_AUTH)
def plan_visit(request, pk: int, payload: VisitIn):
    support = selectors.request_for(pk)
    require(request, "exchange.plan_visit", support)
    experts = None
    if payload.experts is not None:
        experts = list(ExpertProfile.objects.filter(pk__in=payload.experts))
    visit = services.plan_visit(
        support, by=request.user, experts=experts, **payload.dict(exclude={"experts"})
    )
    return 201, _visit_out(selectors.visit_for(visit.pk))


@router.get("/exchange/visits/{pk}", response=VisitOut, auth=WRITE_AUTH)
def get_visit(request, pk: int):
    visit = selectors.visit_for(pk)
    require(request, "exchange.view_requests", visit)
    return _visit_out(visit)


@router.post("/exchange/visits/{pk}/reports", response={201: VisitOut}, auth=WRITE_AUTH)
def file_report(request, pk: int, payload: ReportIn):
    visit = selectors.visit_for(pk)
    actions = {
        action.pk: action
        for action in Action.objects.filter(
            pk__in=[item.action for item in payload.items]
        ).select_related("plan")
    }
    missing = [item.action for item in payload.items if item.action not in actions]
    if missing:
        raise ValidationError({"items": _("Unknown action: %(ids)s") % {"ids": missing}})
    items = [(actions[item.action], item.stage, item.note) for item in payload.items]
    services.file_report(
        visit,
        by=request.user,
        side=payload.side,
        items=items,
        **payload.dict(exclude={"side", "items"}),
    )
    return 201, _visit_out(selectors.visit_for(pk))


# Expert profiles --------------------------------------------------------------------------------


@router.get("/exchange/experts", response=list[ProfileOut], auth=WRITE_AUTH)
def list_experts(request, q: str = "", language: str = "", limit: int = 20, offset: Offset = 0):
    require(request, "exchange.view_profiles")
    limit = max(1, min(limit, 100))
    profiles = selectors.profiles_list(query=q, language=language).prefetch_related(
        "availabilities"
    )
    return list(profiles[max(offset, 0) : max(offset, 0) + limit])


@router.get("/exchange/experts/{pk}", response=ProfileOut, auth=WRITE_AUTH)
def get_expert(request, pk: int):
    require(request, "exchange.view_profiles")
    return selectors.profile_for(pk)


def _profile_fields(data: dict) -> dict:
    if "skills" in data:
        data["skills"] = "\n".join(data["skills"] or [])
    if "practices_led" in data:
        data["practices_led"] = "\n".join(data["practices_led"] or [])
    if "languages" in data:
        data["languages"] = _languages(data["languages"] or [])
    if "core_tasks" in data:
        ids = data["core_tasks"] or []
        tasks = list(CoreTask.objects.filter(pk__in=ids))
        if len(tasks) != len(set(ids)):
            raise ValidationError({"core_tasks": _("Unknown core task.")})
        data["core_tasks"] = tasks
    return data


@router.post("/exchange/experts", response={201: ProfileOut}, auth=WRITE_AUTH)
def create_expert(request, payload: ProfileIn):
    from django.contrib.auth import get_user_model

    person = request.user
    if payload.email:
        person = get_user_model().objects.filter(email__iexact=payload.email.strip()).first()
        if person is None:
            raise ValidationError({"email": _("No one has an account with this address.")})
    data = _profile_fields(payload.dict(exclude={"email"}))
    profile = services.create_profile(person, by=request.user, **data)
    return 201, selectors.profile_for(profile.pk)


@router.patch("/exchange/experts/{pk}", response=ProfileOut, auth=WRITE_AUTH)
def patch_expert(request, pk: int, payload: ProfilePatch):
    profile = selectors.profile_for(pk)
    require(request, "exchange.change_profile", profile)
    changes = _profile_fields(payload.dict(exclude_unset=True, exclude={"version"}))
    services.update_profile(
        profile, by=request.user, expected_version=payload.version, changes=changes
    )
    return selectors.profile_for(pk)
