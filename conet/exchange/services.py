"""Every write of the support scheme, one transaction each, with activity and notifications.

State of a request: open → matched (an expert accepted) → visit planned → closed (both reports
filed, or the city closes it). State of an invitation: invited → accepted | declined | withdrawn;
an answer is given once. Both changes are one UPDATE … WHERE version = expected AND status = …, so
two answers (or an answer and a withdrawal) given at the same moment cannot both win.
"""

import zoneinfo
from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conet.core.activity import record_activity
from conet.core.concurrency import EditConflict, update_versioned
from conet.core.permissions import require
from conet.exchange.models import (
    Availability,
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    TransferItem,
    Visit,
    VisitReport,
)
from conet.networks.models import Partnership

REQUEST_FIELDS = [
    "title", "project", "plan_action", "problem", "know_how", "preferred_start", "preferred_end",
    "languages", "budget", "language",
]  # fmt: skip
PROFILE_FIELDS = [
    "headline", "bio", "skills", "languages", "language", "practices_led", "home_city",
    "is_available",
]  # fmt: skip
VISIT_FIELDS = ["starts_on", "ends_on", "travel", "agenda"]
REPORT_FIELDS = ["understood", "adapted", "reused", "language"]

Status = SupportRequest.Status
Answer = ExpertInvitation.Status


class RefusedTransition(ValidationError):
    """The thing is no longer in a state that allows this step (e.g. an invitation already answered)."""


def _notify(recipients, kind: str, params: dict, url: str, actor) -> None:
    from conet.notifications.services import notify

    notify(recipients, kind, params, url, actor=actor)


def _embed_after_commit(kind: str, pk: int) -> None:
    from conet.exchange import tasks

    task = tasks.embed_profile if kind == "profile" else tasks.embed_request
    transaction.on_commit(lambda: task(pk), robust=True)


def _check_core_tasks(network_id: int | None, core_tasks) -> None:
    if network_id is None:
        return
    for task in core_tasks or []:
        if task.network_id != network_id:
            raise ValidationError({"core_tasks": _("Choose core tasks of this network.")})


def _check_plan_action(partnership: Partnership, action) -> None:
    if action is not None and action.plan.partnership_id != partnership.pk:
        raise ValidationError(
            {"plan_action": _("Choose an action of this city's Local Action Plan.")}
        )


# Requests ---------------------------------------------------------------------------------------


@transaction.atomic
def post_request(partnership: Partnership, *, by, core_tasks=(), **fields) -> SupportRequest:
    """A city asks the network for help; experts who work on its core tasks are told."""
    require(by, "exchange.post_request", partnership)
    fields = {name: value for name, value in fields.items() if name in REQUEST_FIELDS}
    request = SupportRequest(partnership=partnership, created_by=by, **fields)
    request.full_clean()
    _check_plan_action(partnership, request.plan_action)
    _check_core_tasks(partnership.network_id, core_tasks)
    request.save()
    request.core_tasks.set(core_tasks)
    record_activity(
        kind="exchange.request_posted",
        scope=partnership.network,
        actor=by,
        data={"city": partnership.city.name, "title": request.title},
        language=request.language,
        link=request.get_absolute_url(),
        public=False,
    )
    task_ids = [task.pk for task in core_tasks]
    if task_ids:
        experts = (
            ExpertProfile.objects.filter(core_tasks__in=task_ids, is_available=True)
            .exclude(user=by)
            .values_list("user_id", flat=True)
            .distinct()
        )
        _notify(
            list(experts),
            "exchange.request_posted",
            {"city": partnership.city.name, "title": request.title},
            request.get_absolute_url(),
            by,
        )
    _embed_after_commit("request", request.pk)
    return request


@transaction.atomic
def update_request(
    request: SupportRequest, *, by, expected_version: int, changes: dict
) -> SupportRequest:
    require(by, "exchange.change_request", request)
    core_tasks = changes.pop("core_tasks", None)
    changes = {name: value for name, value in changes.items() if name in REQUEST_FIELDS}
    probe = SupportRequest.objects.get(pk=request.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    probe.full_clean()
    _check_plan_action(request.partnership, probe.plan_action)
    if core_tasks is not None:
        _check_core_tasks(request.partnership.network_id, core_tasks)
    updated = update_versioned(request, expected_version, changes)
    if core_tasks is not None:
        updated.core_tasks.set(core_tasks)
    _embed_after_commit("request", request.pk)
    return updated


def _step_request(request: SupportRequest, allowed_from: tuple, to: str) -> bool:
    """Move the request on (from one of `allowed_from`), atomically; False if it was elsewhere."""
    return bool(
        SupportRequest.objects.filter(pk=request.pk, status__in=allowed_from).update(
            status=to, version=F("version") + 1, updated_at=timezone.now()
        )
    )


@transaction.atomic
def close_request(request: SupportRequest, *, by) -> SupportRequest:
    require(by, "exchange.close_request", request)
    if not _step_request(
        request, (Status.OPEN, Status.MATCHED, Status.VISIT_PLANNED), Status.CLOSED
    ):
        raise RefusedTransition(_("This request is already closed."))
    record_activity(
        kind="exchange.request_closed",
        scope=request.partnership.network,
        actor=by,
        data={"city": request.partnership.city.name, "title": request.title},
        link=request.get_absolute_url(),
        public=False,
    )
    return SupportRequest.objects.get(pk=request.pk)


# Expert profiles --------------------------------------------------------------------------------


def _save_availability(profile: ExpertProfile, availability) -> None:
    if availability is None:
        return
    rows = []
    for starts_on, ends_on in availability:
        row = Availability(profile=profile, starts_on=starts_on, ends_on=ends_on)
        row.full_clean(exclude=["profile"])
        rows.append(row)
    profile.availabilities.all().delete()
    Availability.objects.bulk_create(rows)


@transaction.atomic
def create_profile(user, *, by, core_tasks=(), availability=(), **fields) -> ExpertProfile:
    """A profile for `user`: by themselves, or by a network's staff or a platform admin."""
    if by is None or not by.is_authenticated:
        raise PermissionDenied("exchange.create_profile")
    if user.pk != by.pk:
        require(by, "exchange.create_profile")
    if ExpertProfile.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This person already has an expert profile.")})
    fields = {name: value for name, value in fields.items() if name in PROFILE_FIELDS}
    profile = ExpertProfile(user=user, **fields)
    profile.full_clean()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        raise ValidationError({"user": _("This person already has an expert profile.")}) from error
    profile.core_tasks.set(core_tasks)
    _save_availability(profile, availability)
    record_activity(
        kind="exchange.profile_created",
        scope=profile,
        actor=by,
        data={"name": user.name},
        public=False,
    )
    _embed_after_commit("profile", profile.pk)
    return profile


@transaction.atomic
def update_profile(
    profile: ExpertProfile, *, by, expected_version: int, changes: dict
) -> ExpertProfile:
    """Change a profile (its owner or a platform admin); `availability` replaces the date ranges."""
    require(by, "exchange.change_profile", profile)
    core_tasks = changes.pop("core_tasks", None)
    availability = changes.pop("availability", None)
    changes = {name: value for name, value in changes.items() if name in PROFILE_FIELDS}
    probe = ExpertProfile.objects.get(pk=profile.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    probe.full_clean()
    updated = update_versioned(profile, expected_version, changes)
    if core_tasks is not None:
        updated.core_tasks.set(core_tasks)
    _save_availability(updated, availability)
    _embed_after_commit("profile", profile.pk)
    return updated


# Invitations ------------------------------------------------------------------------------------


@transaction.atomic
def invite(request: SupportRequest, expert: ExpertProfile, *, by, message: str = "", match=None):
    """The network's coordinator invites one expert; the expert is told."""
    require(by, "exchange.invite", request)
    if expert.user_id == request.created_by_id:
        raise ValidationError({"expert": _("The city cannot invite the person who asked.")})
    try:
        with transaction.atomic():
            invitation = ExpertInvitation.objects.create(
                request=request,
                expert=expert,
                invited_by=by,
                message=message,
                match=match or {},
            )
    except IntegrityError as error:
        raise ValidationError(
            {"expert": _("This expert has already been invited to this request.")}
        ) from error
    params = {"city": request.partnership.city.name, "title": request.title}
    record_activity(
        kind="exchange.invited",
        scope=request.partnership.network,
        actor=by,
        data={**params, "expert": expert.user.name},
        link=request.get_absolute_url(),
        public=False,
    )
    _notify([expert.user_id], "exchange.invited", params, request.get_absolute_url(), by)
    return invitation


def _answer(invitation: ExpertInvitation, *, by, expected_version: int, to: str, answer: str):
    changes = {"status": to, "answer": answer, "answered_at": timezone.now()}
    updated = ExpertInvitation.objects.filter(
        pk=invitation.pk, version=expected_version, status=Answer.INVITED
    ).update(**changes, version=F("version") + 1)
    current = ExpertInvitation.objects.select_related("request__partnership__city").get(
        pk=invitation.pk
    )
    if not updated:
        if current.status != Answer.INVITED:
            raise RefusedTransition(
                _("This invitation has already been answered (%(status)s).")
                % {"status": current.get_status_display()}
            )
        raise EditConflict(current, list(changes))
    return current


@transaction.atomic
def accept_invitation(invitation: ExpertInvitation, *, by, expected_version: int, answer: str = ""):
    """The expert says yes: the request is matched; who invited and the city are told."""
    require(by, "exchange.answer_invitation", invitation)
    current = _answer(
        invitation, by=by, expected_version=expected_version, to=Answer.ACCEPTED, answer=answer
    )
    request = current.request
    _step_request(request, (Status.OPEN,), Status.MATCHED)
    params = {"expert": by.name, "title": request.title}
    record_activity(
        kind="exchange.accepted",
        scope=request.partnership.network,
        actor=by,
        data={**params, "city": request.partnership.city.name},
        link=request.get_absolute_url(),
        public=False,
    )
    _notify(
        [current.invited_by_id, request.created_by_id],
        "exchange.accepted",
        params,
        request.get_absolute_url(),
        by,
    )
    return current


@transaction.atomic
def decline_invitation(
    invitation: ExpertInvitation, *, by, expected_version: int, answer: str = ""
):
    require(by, "exchange.answer_invitation", invitation)
    current = _answer(
        invitation, by=by, expected_version=expected_version, to=Answer.DECLINED, answer=answer
    )
    request = current.request
    _notify(
        [current.invited_by_id],
        "exchange.declined",
        {"expert": by.name, "title": request.title},
        request.get_absolute_url(),
        by,
    )
    return current


@transaction.atomic
def withdraw_invitation(invitation: ExpertInvitation, *, by, expected_version: int):
    require(by, "exchange.invite", invitation.request)
    return _answer(
        invitation, by=by, expected_version=expected_version, to=Answer.WITHDRAWN, answer=""
    )


# Visits and reports -----------------------------------------------------------------------------


def _site_visit_meeting(visit: Visit, by):
    """The visit's agenda as a meeting of kind site visit in the network's calendar."""
    from conet.meetings import services as meeting_services
    from conet.networks.countries import time_zone_of

    request = visit.request
    city = request.partnership.city
    zone = time_zone_of(city.country)
    tz = zoneinfo.ZoneInfo(zone)
    return meeting_services.create_meeting(
        request.partnership.network,
        by=by,
        kind="site_visit",
        title=_("Site visit: %(title)s") % {"title": request.title},
        description=visit.agenda,
        language=request.language,
        starts_at=datetime.combine(visit.starts_on, time(9, 0), tzinfo=tz),
        ends_at=datetime.combine(visit.ends_on, time(17, 0), tzinfo=tz),
        time_zone=zone,
        host_city=city,
        registration_open=False,
        is_public=False,
    )


@transaction.atomic
def plan_visit(request: SupportRequest, *, by, experts=None, **fields) -> Visit:
    """Plan the trip of the accepted experts; its agenda becomes a site-visit meeting."""
    require(by, "exchange.plan_visit", request)
    accepted = list(
        ExpertProfile.objects.filter(
            invitations__request=request, invitations__status=Answer.ACCEPTED
        )
    )
    if experts is None:
        experts = accepted
    if not experts or any(expert not in accepted for expert in experts):
        raise ValidationError({"experts": _("Choose experts who accepted the invitation.")})
    fields = {name: value for name, value in fields.items() if name in VISIT_FIELDS}
    visit = Visit(request=request, planned_by=by, **fields)
    visit.full_clean()
    visit.save()
    visit.experts.set(experts)
    visit.meeting = _site_visit_meeting(visit, by)
    visit.save(update_fields=["meeting"])
    _step_request(request, (Status.OPEN, Status.MATCHED), Status.VISIT_PLANNED)
    params = {
        "city": request.partnership.city.name,
        "title": request.title,
        "date": visit.starts_on.isoformat(),
    }
    record_activity(
        kind="exchange.visit_planned",
        scope=request.partnership.network,
        actor=by,
        data=params,
        link=visit.get_absolute_url(),
    )
    _notify(
        [request.created_by_id, *[expert.user_id for expert in experts]],
        "exchange.visit_planned",
        params,
        visit.get_absolute_url(),
        by,
    )
    return visit


@transaction.atomic
def update_visit(visit: Visit, *, by, expected_version: int, changes: dict) -> Visit:
    require(by, "exchange.change_visit", visit)
    changes = {name: value for name, value in changes.items() if name in VISIT_FIELDS}
    probe = Visit.objects.get(pk=visit.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    probe.full_clean()
    return update_versioned(visit, expected_version, changes)


def _check_items(visit: Visit, items) -> list[TransferItem]:
    """Transfer items must point at actions of the receiving city's plan."""
    rows = []
    for action, stage, note in items or []:
        if action.plan.partnership_id != visit.request.partnership_id:
            raise ValidationError(
                {"items": _("Link actions of the receiving city's Local Action Plan.")}
            )
        if stage not in TransferItem.Stage.values:
            raise ValidationError({"items": _("Choose “to be adapted” or “re-used”.")})
        if not (note or "").strip():
            raise ValidationError({"items": _("Say what is taken over for each action.")})
        rows.append(TransferItem(action=action, stage=stage, note=note.strip()[:300]))
    return rows


@transaction.atomic
def file_report(visit: Visit, *, by, side: str, items=(), **fields) -> VisitReport:
    """One side's report; when both sides have reported, the visit is done and the request closed.

    `items` are (action, stage, note) triples tying the report to the receiving city's plan.
    """
    perm = {
        VisitReport.Side.HOST: "exchange.file_host_report",
        VisitReport.Side.EXPERT: "exchange.file_expert_report",
    }.get(side)
    if perm is None:
        raise ValidationError({"side": _("Choose the receiving city or the visiting expert.")})
    require(by, perm, visit)
    fields = {name: value for name, value in fields.items() if name in REPORT_FIELDS}
    report = VisitReport(visit=visit, side=side, author=by, **fields)
    report.full_clean(exclude=["visit"], validate_unique=False, validate_constraints=False)
    rows = _check_items(visit, items)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise RefusedTransition(_("This side has already filed its report.")) from error
    for row in rows:
        row.report = report
    TransferItem.objects.bulk_create(rows)
    request = visit.request
    with translation.override(None):  # the label as written in the code: each reader's
        side = str(VisitReport.Side(report.side).label)  # language is applied when shown
    params = {"city": request.partnership.city.name, "title": request.title, "side": side}
    record_activity(
        kind="exchange.report_filed",
        scope=request.partnership.network,
        actor=by,
        data=params,
        language=report.language,
        link=visit.get_absolute_url(),
    )
    if VisitReport.objects.filter(visit=visit).count() == len(VisitReport.Side.values):
        Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
            status=Visit.Status.DONE, version=F("version") + 1
        )
        _step_request(request, (Status.MATCHED, Status.VISIT_PLANNED), Status.CLOSED)
    recipients = [expert.user_id for expert in visit.experts.all()] + [
        request.created_by_id,
        visit.planned_by_id,
    ]
    _notify(
        [pk for pk in recipients if pk != by.pk],
        "exchange.report_filed",
        params,
        visit.get_absolute_url(),
        by,
    )
    return report
