"""Reads that the pages and the API share, each in a fixed number of queries."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.core.attention import AttentionItem
from conet.exchange import matching
from conet.exchange.models import (
    Availability,
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    TransferItem,
    Visit,
    VisitReport,
)
from conet.search.embeddings import from_bytes

PAGE_SIZE = 20
MATCH_LIMIT = 10


def core_task_key(task) -> str:
    """Core tasks compare by their English name: networks that share the taxonomy share keys."""
    return (task.names.get("en") or task.original_name or f"#{task.number}").strip().lower()


@dataclass
class RequestFilters:
    status: str = ""
    network: str = ""  # slug
    city: str = ""  # slug
    core_task: int | None = None  # number
    language: str = ""
    query: str = ""


def requests_list(filters: RequestFilters):
    """Requests for the list page, newest first; core tasks and invitations counted in the query."""
    requests = SupportRequest.objects.select_related(
        "partnership__city", "partnership__network"
    ).prefetch_related("core_tasks")
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.network:
        requests = requests.filter(partnership__network__slug=filters.network)
    if filters.city:
        requests = requests.filter(partnership__city__slug=filters.city)
    if filters.core_task:
        requests = requests.filter(core_tasks__number=filters.core_task)
    if filters.language:
        requests = requests.filter(
            Q(languages__icontains=filters.language) | Q(language=filters.language)
        )
    if filters.query:
        requests = requests.filter(
            Q(title__icontains=filters.query)
            | Q(project__icontains=filters.query)
            | Q(know_how__icontains=filters.query)
        )
    return (
        requests.annotate(
            accepted_count=Count(
                "invitations", filter=Q(invitations__status=ExpertInvitation.Status.ACCEPTED)
            )
        )
        .distinct()
        .order_by("-created_at", "-pk")
    )


def requests_page(filters: RequestFilters, page_number):
    return Paginator(requests_list(filters), PAGE_SIZE).get_page(page_number)


def request_for(pk: int) -> SupportRequest:
    return get_object_or_404(
        SupportRequest.objects.select_related(
            "partnership__city", "partnership__network", "created_by", "plan_action__plan"
        ).prefetch_related("core_tasks"),
        pk=pk,
    )


def invitations_of(request: SupportRequest) -> list[ExpertInvitation]:
    return list(
        ExpertInvitation.objects.filter(request=request)
        .select_related("expert__user", "invited_by")
        .order_by("created_at")
    )


def visits_of(request: SupportRequest) -> list[Visit]:
    return list(
        Visit.objects.filter(request=request)
        .select_related("meeting")
        .prefetch_related(
            Prefetch("experts", queryset=ExpertProfile.objects.select_related("user")),
            Prefetch("reports", queryset=VisitReport.objects.select_related("author")),
        )
    )


def visit_for(pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.select_related(
            "request__partnership__city", "request__partnership__network", "meeting"
        ).prefetch_related(
            Prefetch("experts", queryset=ExpertProfile.objects.select_related("user")),
            Prefetch(
                "reports",
                queryset=VisitReport.objects.select_related("author").prefetch_related(
                    Prefetch(
                        "items",
                        queryset=TransferItem.objects.select_related("action"),
                    )
                ),
            ),
        ),
        pk=pk,
    )


def receiving_plan_actions(request: SupportRequest) -> list:
    """The actions of the requesting city's Local Action Plan (to link report items to)."""
    from conet.actionplans.models import Action

    return list(
        Action.objects.filter(plan__partnership_id=request.partnership_id).order_by("number")
    )


@dataclass
class TransferFollowUp:
    """One plan action the transfer touches, with what was taken over and its current state."""

    action: object
    items: list = field(default_factory=list)


def transfer_follow_up(visit: Visit) -> list[TransferFollowUp]:
    """Report items grouped by the receiving city's plan action, with the action's status and
    progress as they are now (read from the plan, never copied)."""
    by_action: dict[int, TransferFollowUp] = {}
    for report in visit.reports.all():
        for item in report.items.all():
            entry = by_action.setdefault(item.action_id, TransferFollowUp(item.action))
            entry.items.append(item)
    return sorted(by_action.values(), key=lambda entry: entry.action.number)


# Profiles ---------------------------------------------------------------------------------------


def profiles_list(*, query: str = "", language: str = "", core_task: int | None = None):
    profiles = ExpertProfile.objects.select_related("user").prefetch_related("core_tasks")
    if query:
        profiles = profiles.filter(
            Q(user__name__icontains=query)
            | Q(headline__icontains=query)
            | Q(skills__icontains=query)
        )
    if language:
        profiles = profiles.filter(languages__icontains=language)
    if core_task:
        profiles = profiles.filter(core_tasks__number=core_task).distinct()
    return profiles.order_by("user__name", "pk")


def profile_for(pk: int) -> ExpertProfile:
    return get_object_or_404(
        ExpertProfile.objects.select_related("user").prefetch_related(
            "core_tasks", "availabilities"
        ),
        pk=pk,
    )


# Matching ---------------------------------------------------------------------------------------


def _vector(blob):
    return from_bytes(bytes(blob)) if blob else None


def _need(request: SupportRequest, core_tasks) -> matching.Need:
    preferred = None
    if request.preferred_start and request.preferred_end:
        preferred = (request.preferred_start, request.preferred_end)
    elif request.preferred_start:
        preferred = (request.preferred_start, request.preferred_start)
    return matching.Need(
        vector=_vector(request.vector),
        languages=frozenset(request.language_list),
        core_tasks=frozenset(core_task_key(task) for task in core_tasks),
        preferred=preferred,
    )


@dataclass
class ExpertMatch:
    profile: ExpertProfile
    match: matching.Match
    invitation: ExpertInvitation | None = None


def expert_matches(request: SupportRequest, *, limit: int = MATCH_LIMIT) -> list[ExpertMatch]:
    """The experts that fit best, with their reasons; the person who asked is left out.

    Three queries whatever the number of profiles: profiles, their core tasks, their availability.
    """
    core_tasks = list(request.core_tasks.all())
    profiles = list(
        ExpertProfile.objects.filter(is_available=True)
        .exclude(user_id=request.created_by_id)
        .select_related("user")
        .prefetch_related(
            "core_tasks",
            Prefetch("availabilities", queryset=Availability.objects.order_by("starts_on")),
        )
    )
    by_pk = {profile.pk: profile for profile in profiles}
    offers = [
        matching.Offer(
            key=profile.pk,
            name=profile.user.name,
            vector=_vector(profile.vector),
            languages=frozenset(profile.language_list),
            core_tasks=frozenset(core_task_key(task) for task in profile.core_tasks.all()),
            available=tuple((a.starts_on, a.ends_on) for a in profile.availabilities.all()),
        )
        for profile in profiles
    ]
    ranked = matching.rank_experts(_need(request, core_tasks), offers)[:limit]
    task_names = {core_task_key(task): task.name for task in core_tasks}
    for match in ranked:
        match.shared_core_tasks = [task_names.get(key, key) for key in match.shared_core_tasks]
    invitations = {
        invitation.expert_id: invitation
        for invitation in ExpertInvitation.objects.filter(request=request)
    }
    return [ExpertMatch(by_pk[m.key], m, invitations.get(m.key)) for m in ranked]


def _practice_cosines(request: SupportRequest) -> dict[int, float]:
    """Practice id → cosine, from the search index. Ranking embeds the request's text (~0.1–0.5 s),
    so the answer is kept in the cache until the text changes or an hour has passed."""
    from conet.search.embeddings import backend
    from conet.search.selectors import rank_by_meaning

    model = backend()
    if not model.enabled:
        return {}
    text = request.meaning_text()
    key = "exchange:practices:" + hashlib.sha256(f"{model.name}\n{text}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        cached = rank_by_meaning(text, kind="practice", limit=30)
        if cached:
            cache.set(key, cached, 3600)
    return dict(cached)


@dataclass
class PracticeMatch:
    practice: object
    match: matching.Match


def practice_matches(request: SupportRequest, *, limit: int = 5) -> list[PracticeMatch]:
    """Good practices that fit: by meaning from the search index, else by shared core tasks."""
    from conet.practices.models import GoodPractice

    core_tasks = list(request.core_tasks.all())
    keys = {core_task_key(task) for task in core_tasks}
    cosines = _practice_cosines(request)
    candidates = GoodPractice.objects.prefetch_related("core_tasks")
    if cosines:
        candidates = candidates.filter(pk__in=list(cosines))
    elif keys:
        numbers = [task.number for task in core_tasks]
        candidates = candidates.filter(core_tasks__number__in=numbers).distinct()[:200]
    else:
        return []
    practices = list(candidates)
    offers = [
        matching.Offer(
            key=practice.pk,
            name=practice.name,
            vector=None,
            cosine=cosines.get(practice.pk),
            core_tasks=frozenset(core_task_key(task) for task in practice.core_tasks.all()),
        )
        for practice in practices
    ]
    by_pk = {practice.pk: practice for practice in practices}
    ranked = matching.rank_practices(_need(request, core_tasks), offers)
    task_names = {core_task_key(task): task.name for task in core_tasks}
    for match in ranked:
        match.shared_core_tasks = [task_names.get(key, key) for key in match.shared_core_tasks]
    return [PracticeMatch(by_pk[m.key], m) for m in ranked[:limit] if m.score > 0]


def invitations_for(user) -> list[ExpertInvitation]:
    """The invitations a person has received, newest first (for their profile page)."""
    return list(
        ExpertInvitation.objects.filter(expert__user=user)
        .select_related("request__partnership__city", "request__partnership__network")
        .order_by("-created_at")
    )


def attention_for(user) -> list[AttentionItem]:
    """For the dashboard: the open support requests of the cities this person coordinates (and,
    for a network's coordinator, those in their networks still waiting for an expert), and the
    invitations waiting for this expert's answer. Two queries at most."""
    roles = roles_of(user)
    cities = {city for role, city in roles.city_roles if role == Role.CITY_COORDINATOR}
    networks = {net for role, net in roles.network_roles if role == Role.NETWORK_COORDINATOR}
    items = []
    if cities or networks:
        Status = SupportRequest.Status
        waiting = Q(partnership__city_id__in=cities, status__in=[Status.OPEN, Status.MATCHED])
        waiting |= Q(partnership__network_id__in=networks, status=Status.OPEN)
        for request in (
            SupportRequest.objects.filter(waiting)
            .select_related("partnership__city")
            .order_by("-created_at")[:10]
        ):
            text = _("Support request of %(city)s (%(status)s): %(title)s") % {
                "city": request.partnership.city.name,
                "status": request.get_status_display(),
                "title": request.title,
            }
            items.append(AttentionItem(text, request.get_absolute_url()))
    for invitation in (
        ExpertInvitation.objects.filter(
            expert__user=user, status=ExpertInvitation.Status.INVITED
        ).select_related("request__partnership__city")
        if user.is_authenticated
        else []
    ):
        text = _("%(city)s invites you to help with %(title)s") % {
            "city": invitation.request.partnership.city.name,
            "title": invitation.request.title,
        }
        items.append(AttentionItem(text, invitation.request.get_absolute_url()))
    return items
