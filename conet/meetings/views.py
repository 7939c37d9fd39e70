"""Meeting pages: calendars, the meeting page with agenda and registration, editing, iCal."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conet.accounts.models import Role
from conet.accounts.roles import roles_of
from conet.actionplans.selectors import partnership_for
from conet.core.forms import save_versioned_form
from conet.localgroups.services import group_of
from conet.meetings import ical, selectors, services
from conet.meetings.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    DocumentForm,
    MeetingForm,
    RegistrationForm,
)
from conet.meetings.models import AgendaItem, CalendarFeed, Meeting, MeetingDocument, Registration
from conet.networks.countries import time_zone_of
from conet.networks.models import Network

PAGE_SIZE = 20
FEED_CACHE_SECONDS = 300


def _meeting(
    request, pk: int, perm: str = "meetings.view_meeting", *, page: bool = True
) -> Meeting:
    """The meeting, refused as `perm` says; with all its page shows, or (page=False, for a write
    that redirects) the row alone."""
    try:
        if page:
            meeting = selectors.meeting_page(pk)
        else:
            meeting = Meeting.objects.select_related(
                "network", "host_city", "local_group__partnership__city"
            ).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, meeting):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            raise _SignIn(redirect_to_login(request.get_full_path()))
        raise PermissionDenied(perm)
    return meeting


class _SignIn(Exception):
    def __init__(self, response):
        self.response = response


def _signs_in(view):
    """Send a visitor who may not see something to the sign-in page instead of a 403."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn as sign_in:
            return sign_in.response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _calendar_page(request, meetings, context: dict, template: str):
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"page": page, "meetings": list(page.object_list)})
    return render(request, template, context)


def calendar(request):
    past = request.GET.get("when") == "past"
    meetings = selectors.calendar(request.user, past=past)
    return _calendar_page(
        request, meetings, {"past": past, "network": None}, "meetings/calendar.html"
    )


def network_calendar(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    past = request.GET.get("when") == "past"
    meetings = selectors.calendar(request.user, network=network, past=past)
    roles = roles_of(request.user)
    context = {
        "past": past,
        "network": network,
        "can_add": request.user.has_perm("meetings.add_network_meeting", network),
        # The partner cities whose Local Support Group this person may call to a meeting.
        "group_cities": [
            partnership.city
            for partnership in network.partnerships.select_related("city")
            if roles.in_city(partnership.city_id, Role.CITY_COORDINATOR)
        ]
        if roles.city_ids
        else [],
    }
    return _calendar_page(request, meetings, context, "meetings/calendar.html")


@_signs_in
def meeting_detail(request, pk: int, registration_form=None, agenda_form=None, document_form=None):
    meeting = _meeting(request, pk)
    can_edit = request.user.has_perm("meetings.change_meeting", meeting)
    registration = selectors.registration_of(meeting, request.user)
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "documents": list(meeting.documents.all()),
        "registration": registration,
        "can_edit": can_edit,
        "can_register": request.user.has_perm("meetings.register", meeting),
        "registration_form": registration_form
        or RegistrationForm(
            initial={
                "needs_consent": registration.needs_consent,
                "accessibility_needs": registration.accessibility_needs,
                "dietary_needs": registration.dietary_needs,
            }
            if registration
            else None
        ),
        "waiting_position": services.waiting_position(registration)
        if registration and registration.status == Registration.Status.WAITLISTED
        else None,
        "registrants": list(selectors.registrants(meeting)) if can_edit else None,
        "agenda_form": agenda_form or (AgendaItemForm(meeting=meeting) if can_edit else None),
        "document_form": document_form or (DocumentForm(meeting=meeting) if can_edit else None),
    }
    bad = registration_form or agenda_form or document_form
    return render(request, "meetings/meeting_detail.html", context, status=422 if bad else 200)


def _form_page(request, form, title: str, action: str, cancel: str, status: int = 200):
    context = {"form": form, "title": title, "action": action, "cancel": cancel}
    return render(request, "meetings/meeting_form.html", context, status=status)


@login_required
def meeting_create(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("meetings.add_network_meeting", network):
        raise PermissionDenied("meetings.add_network_meeting")
    kind = request.POST.get("kind") or request.GET.get("kind") or Meeting.Kind.THEMATIC
    if kind not in {Meeting.Kind.THEMATIC, Meeting.Kind.SITE_VISIT}:
        kind = Meeting.Kind.THEMATIC
    form = MeetingForm(
        request.POST or None, network=network, instance=Meeting(network=network, kind=kind)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(network, by=request.user, kind=kind, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect(meeting)
    title = (
        _("Plan a site visit") if kind == Meeting.Kind.SITE_VISIT else _("Plan a thematic meeting")
    )
    return _form_page(
        request,
        form,
        title,
        request.get_full_path(),
        reverse("meetings:network_calendar", args=[slug]),
        status=422 if form.errors else 200,
    )


@login_required
def group_meeting_create(request, slug: str, city_slug: str):
    partnership = partnership_for(slug, city_slug)
    group = group_of(partnership)
    if not request.user.has_perm("meetings.add_group_meeting", group):
        raise PermissionDenied("meetings.add_group_meeting")
    zone = time_zone_of(partnership.city.country)
    form = MeetingForm(
        request.POST or None,
        network=partnership.network,
        group=group,
        instance=Meeting(network=partnership.network, kind=Meeting.Kind.LSG, local_group=group),
        initial={"time_zone": zone, "language": partnership.city.languages.split(",")[0].strip()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_group_meeting(group, by=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect(meeting)
    return _form_page(
        request,
        form,
        _("Plan a meeting of the Local Support Group of %(city)s")
        % {"city": partnership.city.name},
        request.get_full_path(),
        reverse("localgroups:group", args=[slug, city_slug]),
        status=422 if form.errors else 200,
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = MeetingForm(request.POST or None, network=meeting.network, instance=meeting)
    if request.method == "POST":
        save = partial(services.update_meeting, meeting, by=request.user)
        if save_versioned_form(request, form, save):
            return redirect(meeting)
    return _form_page(
        request,
        form,
        _("Edit %(meeting)s") % {"meeting": meeting.title},
        request.get_full_path(),
        meeting.get_absolute_url(),
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    services.cancel_meeting(meeting, by=request.user)
    messages.success(request, _("The meeting is cancelled; everyone registered is told."))
    return redirect(meeting)


@login_required
@require_POST
def agenda_add(request, pk: int):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_agenda_item(meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect(meeting)
    return meeting_detail(request, pk, agenda_form=form)


@login_required
def agenda_edit(request, pk: int, item_pk: int):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.meeting = meeting
    form = AgendaItemEditForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST":
        save = partial(services.update_agenda_item, item, by=request.user)
        if save_versioned_form(request, form, save):
            return redirect(meeting)
    return _form_page(
        request,
        form,
        _("Edit the agenda item"),
        request.get_full_path(),
        meeting.get_absolute_url(),
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def agenda_remove(request, pk: int, item_pk: int):
    return _remove_part(
        request, pk, AgendaItem, item_pk, services.remove_agenda_item, _("Agenda item removed.")
    )


@login_required
@require_POST
def document_add(request, pk: int):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        try:
            services.add_document(
                meeting,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Document added."))
            return redirect(meeting)
    return meeting_detail(request, pk, document_form=form)


@_signs_in
def document_download(request, pk: int, document_pk: int):
    meeting = _meeting(request, pk)
    document = get_object_or_404(MeetingDocument, pk=document_pk, meeting=meeting)
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.title}.{extension}",
    )
    return response


@login_required
@require_POST
def document_remove(request, pk: int, document_pk: int):
    return _remove_part(
        request, pk, MeetingDocument, document_pk, services.remove_document, _("Document removed.")
    )


def _remove_part(request, pk: int, model, part_pk: int, remove, done: str):
    """Remove one agenda item or document of a meeting the person may change."""
    meeting = _meeting(request, pk, "meetings.change_meeting")
    part = get_object_or_404(model, pk=part_pk, meeting=meeting)
    part.meeting = meeting
    remove(part, by=request.user)
    messages.success(request, done)
    return redirect(meeting)


@login_required
@require_POST
def register(request, pk: int):
    meeting = _meeting(request, pk, page=False)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return meeting_detail(request, pk, registration_form=form)
    try:
        registration = services.register(meeting, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return meeting_detail(request, pk, registration_form=form)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are registered."))
    else:
        messages.info(request, _("The meeting is full: you are on the waiting list."))
    return redirect(meeting)


@login_required
@require_POST
def unregister(request, pk: int):
    meeting = _meeting(request, pk, page=False)
    registration = get_object_or_404(Registration, meeting=meeting, user=request.user)
    services.cancel_registration(registration, by=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(meeting)


@login_required
@require_POST
def needs_update(request, pk: int):
    meeting = _meeting(request, pk, page=False)
    registration = get_object_or_404(Registration, meeting=meeting, user=request.user)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return meeting_detail(request, pk, registration_form=form)
    services.update_needs(registration, by=request.user, **form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect(meeting)


@login_required
@require_POST
def attendance(request, pk: int):
    meeting = _meeting(request, pk, "meetings.manage_registrations")
    try:
        count = services.record_attendance(
            meeting, by=request.user, attended_ids=request.POST.getlist("attended")
        )
    except (ValidationError, ValueError):
        messages.error(request, _("Only registered people can be marked present."))
    else:
        messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
    return redirect(meeting)


# Calendar files ------------------------------------------------------------------------------------


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@_signs_in
def meeting_ics(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("network", "host_city"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting", meeting):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("meetings.view_meeting")
    base = request.build_absolute_uri("/")
    return _ics(ical.calendar([meeting], base, name=meeting.title), f"meeting-{meeting.pk}.ics")


def network_ics(request, slug: str):
    """The network's public meetings, to subscribe to (what a visitor may see: no sign-in)."""
    network = get_object_or_404(Network, slug=slug)
    meetings = selectors.network_feed_meetings(network)
    base = request.build_absolute_uri("/")
    return _ics(
        _cached_feed(f"network:{network.pk}", meetings, base, network.name), f"{network.slug}.ics"
    )


def _cached_feed(key: str, meetings, base: str, name: str) -> bytes:
    """Calendar apps poll feeds often; the file is rebuilt only when a meeting in it changed."""
    stamp = meetings.aggregate(changed=Max("updated_at"), count=Count("pk"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    cache_key = f"meetings:ics:{key}:{base}:{get_language()}:{stamp['count']}:{changed}"
    content = cache.get(cache_key)
    if content is None:
        content = ical.calendar(meetings, base, name=name)
        cache.set(cache_key, content, FEED_CACHE_SECONDS)
    return content


def personal_ics(request, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    meetings = selectors.personal_feed_meetings(feed.user)
    base = request.build_absolute_uri("/")
    # Registering or cancelling changes which meetings are in it: the registrations' times count too.
    latest = feed.user.meeting_registrations.aggregate(latest=Max("updated_at"))["latest"]
    key = f"person:{feed.user_id}:{latest.timestamp() if latest else 0}"
    return _ics(_cached_feed(key, meetings, base, _("My meetings")), "my-meetings.ics")


@login_required
def my_meetings(request):
    feed = services.calendar_feed(request.user)
    page = Paginator(selectors.my_registrations(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "registrations": list(page.object_list),
        "feed_url": request.build_absolute_uri(
            reverse("meetings_machine:personal_ics", args=[feed.token])
        ),
    }
    return render(request, "meetings/my_meetings.html", context)


@login_required
@require_POST
def reset_feed(request):
    services.reset_calendar_feed(request.user)
    messages.success(
        request, _("Your calendar has a new secret address; the old one no longer works.")
    )
    return redirect("meetings:mine")
