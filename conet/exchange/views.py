"""Pages of the support scheme: requests, matches and invitations, visits and reports, experts."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.core.concurrency import EditConflict
from conet.core.forms import save_versioned_form
from conet.core.permissions import require
from conet.exchange import selectors, services
from conet.exchange.forms import (
    AnswerForm,
    InviteForm,
    ProfileCreateForm,
    ProfileForm,
    ReportForm,
    RequestEditForm,
    RequestForm,
    VisitForm,
)
from conet.exchange.models import ExpertInvitation, ExpertProfile, SupportRequest, VisitReport
from conet.networks.models import CoreTask, Partnership


def _coordinated_partnerships(user):
    if user.is_staff:
        return Partnership.objects.all()
    cities = [city for role, city in roles_of(user).city_roles if role == Role.CITY_COORDINATOR]
    return Partnership.objects.filter(city_id__in=cities)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Requests ---------------------------------------------------------------------------------------


@login_required
def request_list(request):
    require(request, "exchange.view_requests")
    filters = selectors.RequestFilters(
        status=request.GET.get("status", "open")
        if request.GET.get("status", "open") in SupportRequest.Status.values
        else "",
        city=request.GET.get("city", ""),
        network=request.GET.get("network", ""),
        core_task=_int(request.GET.get("core_task")),
        language=request.GET.get("language", "")[:8],
        query=request.GET.get("q", "")[:100],
    )
    page = selectors.requests_page(filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "statuses": SupportRequest.Status.choices,
        "core_tasks": sorted(
            {task.number: task for task in CoreTask.objects.order_by("network_id")}.values(),
            key=lambda task: task.number,
        ),
        "query_string": query.urlencode(),
        "can_post": _coordinated_partnerships(request.user).exists(),
    }
    return render(request, "exchange/request_list.html", context)


@login_required
def request_create(request):
    partnerships = _coordinated_partnerships(request.user)
    if not partnerships.exists():
        raise PermissionDenied("exchange.post_request")
    form = RequestForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        try:
            posted = services.post_request(partnership, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is posted."))
            return redirect(posted)
    status = 422 if form.errors else 200
    return render(request, "exchange/request_form.html", {"form": form}, status=status)


@login_required
def request_detail(request, pk: int, *, invite_form=None, visit_form=None, status=200):
    support = selectors.request_for(pk)
    require(request, "exchange.view_requests", support)
    user = request.user
    can_see_matches = user.has_perm("exchange.see_matches", support)
    invitations = selectors.invitations_of(support)
    own = next((i for i in invitations if i.expert.user_id == user.pk), None)
    context = {
        "support": support,
        "invitations": invitations,
        "own_invitation": own,
        "answer_form": AnswerForm(initial={"version": own.version}) if own else None,
        "visits": selectors.visits_of(support),
        "can_edit": user.has_perm("exchange.change_request", support),
        "can_close": user.has_perm("exchange.close_request", support)
        and support.status != SupportRequest.Status.CLOSED,
        "can_invite": user.has_perm("exchange.invite", support),
        "can_plan_visit": user.has_perm("exchange.plan_visit", support),
        "expert_matches": selectors.expert_matches(support) if can_see_matches else [],
        "practice_matches": selectors.practice_matches(support) if can_see_matches else [],
        "can_see_matches": can_see_matches,
        "invite_form": invite_form or InviteForm(),
        "visit_form": visit_form
        or VisitForm(
            initial={"starts_on": support.preferred_start, "ends_on": support.preferred_end}
        ),
    }
    return render(request, "exchange/request_detail.html", context, status=status)


def _edit(request, form, obj, update, template: str, name: str):
    """The edit page of a versioned object: save through `update`, or show the form again."""
    if request.method == "POST":
        save = partial(update, obj, by=request.user)
        if save_versioned_form(request, form, save):
            return redirect(obj)
    status = 422 if form.errors else 200
    context = {"form": form, name: obj}
    return render(request, f"exchange/{template}.html", context, status=status)


@login_required
def request_edit(request, pk: int):
    support = selectors.request_for(pk)
    require(request, "exchange.change_request", support)
    form = RequestEditForm(request.POST or None, instance=support)
    return _edit(request, form, support, services.update_request, "request_form", "support")


@login_required
@require_POST
def request_close(request, pk: int):
    support = selectors.request_for(pk)
    try:
        services.close_request(support, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is closed."))
    return redirect(support)


@login_required
@require_POST
def invite(request, pk: int):
    support = selectors.request_for(pk)
    require(request, "exchange.invite", support)
    form = InviteForm(request.POST)
    if form.is_valid():
        expert = form.cleaned_data["expert"]
        match = next(
            (m.match for m in selectors.expert_matches(support, limit=100) if m.profile == expert),
            None,
        )
        record = (
            {"score": round(match.score, 3), "reasons": match.reasons} if match is not None else {}
        )
        try:
            services.invite(
                support,
                expert,
                by=request.user,
                message=form.cleaned_data["message"],
                match=record,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": expert.user.name})
            return redirect(support)
    return request_detail(request, pk, invite_form=form, status=422)


@login_required
@require_POST
def answer(request, pk: int, decision: str):
    invitation = get_object_or_404(
        ExpertInvitation.objects.select_related("request", "expert"), pk=pk
    )
    require(request, "exchange.answer_invitation", invitation)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer could not be read; please try again."))
        return redirect(invitation.request)
    service = {"accept": services.accept_invitation, "decline": services.decline_invitation}.get(
        decision
    )
    if service is None:
        raise PermissionDenied(decision)
    try:
        service(
            invitation,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            answer=form.cleaned_data["answer"],
        )
    except EditConflict:
        messages.error(request, _("The invitation changed meanwhile; please look again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you: you accepted.") if decision == "accept" else _("You declined."),
        )
    return redirect(invitation.request)


@login_required
@require_POST
def withdraw(request, pk: int):
    invitation = get_object_or_404(
        ExpertInvitation.objects.select_related("request", "expert__user"), pk=pk
    )
    require(request, "exchange.invite", invitation.request)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer could not be read; please try again."))
        return redirect(invitation.request)
    try:
        services.withdraw_invitation(
            invitation, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        messages.error(request, _("The invitation changed meanwhile; please look again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation of %(name)s is withdrawn.") % {"name": invitation.expert.user.name},
        )
    return redirect(invitation.request)


@login_required
@require_POST
def visit_create(request, pk: int):
    support = selectors.request_for(pk)
    require(request, "exchange.plan_visit", support)
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            visit = services.plan_visit(support, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit is planned."))
            return redirect(visit)
    return request_detail(request, pk, visit_form=form, status=422)


# Visits -----------------------------------------------------------------------------------------


def _report_forms(request, visit, actions, posted_side=None, posted_form=None):
    """The report form of each side the user may still file."""
    filed = {report.side for report in visit.reports.all()}
    forms = {}
    for side, perm in [
        (VisitReport.Side.HOST, "exchange.file_host_report"),
        (VisitReport.Side.EXPERT, "exchange.file_expert_report"),
    ]:
        if side in filed or not request.user.has_perm(perm, visit):
            continue
        if side == posted_side:
            forms[side] = posted_form
        else:
            forms[side] = ReportForm(
                actions=actions,
                prefix=side,
                initial={"language": request.user.language},
            )
    return forms


@login_required
def visit_detail(request, pk: int, *, posted_side=None, posted_form=None, status=200):
    visit = selectors.visit_for(pk)
    require(request, "exchange.view_requests", visit)
    actions = selectors.receiving_plan_actions(visit.request)
    forms = _report_forms(request, visit, actions, posted_side, posted_form)
    context = {
        "visit": visit,
        "support": visit.request,
        "reports": {report.side: report for report in visit.reports.all()},
        "follow_up": selectors.transfer_follow_up(visit),
        "report_forms": [
            (side, VisitReport.Side(side).label, form) for side, form in forms.items()
        ],
        "sides": VisitReport.Side.choices,
    }
    return render(request, "exchange/visit_detail.html", context, status=status)


@login_required
@require_POST
def report_file(request, pk: int, side: str):
    visit = selectors.visit_for(pk)
    if side not in VisitReport.Side.values:
        raise PermissionDenied(side)
    perm = "exchange.file_host_report" if side == "host" else "exchange.file_expert_report"
    require(request, perm, visit)
    actions = selectors.receiving_plan_actions(visit.request)
    form = ReportForm(request.POST, actions=actions, prefix=side)
    if form.is_valid():
        try:
            services.file_report(
                visit, by=request.user, side=side, items=form.items(), **form.report_fields()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your report is filed."))
            return redirect(visit)
    return visit_detail(request, pk, posted_side=side, posted_form=form, status=422)


# Experts ----------------------------------------------------------------------------------------


@login_required
def expert_list(request):
    require(request, "exchange.view_profiles")
    profiles = selectors.profiles_list(
        query=request.GET.get("q", "")[:100],
        language=request.GET.get("language", "")[:8],
        core_task=_int(request.GET.get("core_task")),
    )
    from django.core.paginator import Paginator

    page = Paginator(profiles, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query_string": query.urlencode(),
        "own_profile": ExpertProfile.objects.filter(user=request.user).first(),
        "can_create_for_others": request.user.has_perm("exchange.create_profile"),
    }
    return render(request, "exchange/expert_list.html", context)


@login_required
def expert_detail(request, pk: int):
    require(request, "exchange.view_profiles")
    profile = selectors.profile_for(pk)
    context = {
        "profile": profile,
        "can_edit": request.user.has_perm("exchange.change_profile", profile),
        "invitations": selectors.invitations_for(profile.user)
        if profile.user_id == request.user.pk
        else [],
    }
    return render(request, "exchange/expert_detail.html", context)


@login_required
def expert_create(request):
    for_others = request.user.has_perm("exchange.create_profile")
    if request.POST.get("email") and not for_others:
        raise PermissionDenied("exchange.create_profile")
    form = ProfileCreateForm(request.POST or None, for_others=for_others)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("email", None) or request.user
        try:
            profile = services.create_profile(person, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expert profile is saved."))
            return redirect(profile)
    status = 422 if form.errors else 200
    return render(request, "exchange/profile_form.html", {"form": form}, status=status)


@login_required
def expert_edit(request, pk: int):
    profile = selectors.profile_for(pk)
    require(request, "exchange.change_profile", profile)
    form = ProfileForm(request.POST or None, instance=profile)
    return _edit(request, form, profile, services.update_profile, "profile_form", "profile")


@login_required
def my_profile(request):
    profile = ExpertProfile.objects.filter(user=request.user).first()
    if profile is None:
        return redirect("exchange:expert_create")
    return redirect(profile)
