"""API for meetings (read what you may see; the network's team writes) and your own registrations."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from conet.actionplans.api import reader
from conet.api.auth import WRITE_AUTH
from conet.meetings import selectors, services
from conet.meetings.forms import place_in_zone
from conet.meetings.models import Meeting, Registration
from conet.networks.models import City, Network

router = Router(tags=["meetings"])


class AgendaItemOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime | None
    title: str
    speakers: str
    description: str


class MeetingOut(Schema):
    id: int
    url: str
    network: str
    kind: str
    title: str
    theme: str
    description: str
    language: str
    host_city: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    address: str
    capacity: int | None
    registered: int
    waitlisted: int
    registration_open: bool
    is_public: bool
    status: str
    version: int

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_network(obj) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_host_city(obj) -> str | None:
        return obj.host_city.slug if obj.host_city_id else None

    @staticmethod
    def resolve_registered(obj) -> int:
        return getattr(obj, "registered_count", 0)

    @staticmethod
    def resolve_waitlisted(obj) -> int:
        return getattr(obj, "waitlisted_count", 0)


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    minutes: str
    outputs: str
    core_tasks: list[int]
    practices: list[str]
    plan_actions: list[int]

    @staticmethod
    def resolve_practices(obj) -> list[str]:
        return [practice.slug for practice in obj.practices.all()]

    @staticmethod
    def resolve_plan_actions(obj) -> list[int]:
        return [action.pk for action in obj.plan_actions.all()]

    @staticmethod
    def resolve_agenda(obj):
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_core_tasks(obj) -> list[int]:
        return [task.number for task in obj.core_tasks.all()]


class MeetingIn(Schema):
    """Times are local wall-clock times in `time_zone` (ISO 8601 without an offset)."""

    kind: str = "thematic"
    title: str
    theme: str = ""
    description: str = ""
    language: str = "en"
    host_city: str | None = None
    starts_at: datetime
    ends_at: datetime
    time_zone: str = "Europe/Brussels"
    venue: str = ""
    address: str = ""
    capacity: int | None = None
    registration_open: bool = True
    is_public: bool = True


class MeetingPatch(Schema):
    version: int
    title: str | None = None
    theme: str | None = None
    description: str | None = None
    venue: str | None = None
    address: str | None = None
    capacity: int | None = None
    registration_open: bool | None = None
    is_public: bool | None = None
    minutes: str | None = None
    outputs: str | None = None


class RegistrationIn(Schema):
    needs_consent: bool = False
    accessibility_needs: str = ""
    dietary_needs: str = ""


class RegistrationOut(Schema):
    meeting: int
    status: str
    waiting_position: int | None
    needs_consent: bool
    accessibility_needs: str
    dietary_needs: str

    @staticmethod
    def resolve_meeting(obj) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_waiting_position(obj) -> int | None:
        if obj.status != Registration.Status.WAITLISTED:
            return None
        return services.waiting_position(obj)


def _visible_meeting(request, pk: int) -> Meeting:
    try:
        meeting = selectors.meeting_page(pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    return meeting


def _times(payload: MeetingIn) -> dict:
    try:
        from conet.meetings.models import validate_time_zone

        validate_time_zone(payload.time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    return {
        "starts_at": place_in_zone(
            payload.starts_at.replace(tzinfo=None), payload.time_zone, "starts_at"
        ),
        "ends_at": place_in_zone(
            payload.ends_at.replace(tzinfo=None), payload.time_zone, "ends_at"
        ),
    }


@router.get("/meetings", response=list[MeetingOut], auth=reader)
@paginate
def list_meetings(request, network: str | None = None, past: bool = False):
    network_obj = get_object_or_404(Network, slug=network) if network else None
    return selectors.calendar(request.user, network=network_obj, past=past)


@router.get("/meetings/{pk}", response=MeetingDetailOut, auth=reader)
def get_meeting(request, pk: int):
    return _visible_meeting(request, pk)


@router.post("/networks/{slug}/meetings", response={201: MeetingDetailOut}, auth=WRITE_AUTH)
def create_meeting(request, slug: str, payload: MeetingIn):
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("meetings.add_network_meeting", network):
        raise PermissionDenied("meetings.add_network_meeting")
    fields = payload.dict(exclude={"kind", "host_city", "starts_at", "ends_at"})
    fields.update(_times(payload))
    if payload.host_city:
        host = City.objects.filter(slug=payload.host_city).first()
        if host is None:
            raise ValidationError({"host_city": _("No city has this short name.")})
        fields["host_city"] = host
    meeting = services.create_meeting(network, by=request.user, kind=payload.kind, **fields)
    return 201, selectors.meeting_page(meeting.pk)


@router.patch("/meetings/{pk}", response=MeetingDetailOut, auth=WRITE_AUTH)
def update_meeting(request, pk: int, payload: MeetingPatch):
    meeting = _visible_meeting(request, pk)
    if not request.user.has_perm("meetings.change_meeting", meeting):
        raise PermissionDenied("meetings.change_meeting")
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    services.update_meeting(
        meeting, by=request.user, expected_version=payload.version, changes=changes
    )
    return selectors.meeting_page(pk)


@router.post("/meetings/{pk}/cancel", response=MeetingDetailOut, auth=WRITE_AUTH)
def cancel_meeting(request, pk: int):
    meeting = _visible_meeting(request, pk)
    services.cancel_meeting(meeting, by=request.user)
    return selectors.meeting_page(pk)


@router.get("/me/registrations", response=list[RegistrationOut], auth=WRITE_AUTH)
@paginate
def my_registrations(request):
    return selectors.my_registrations(request.user)


@router.put("/meetings/{pk}/registration", response=RegistrationOut, auth=WRITE_AUTH)
def register(request, pk: int, payload: RegistrationIn):
    """Register yourself (or update your needs when you already are)."""
    meeting = _visible_meeting(request, pk)
    existing = selectors.registration_of(meeting, request.user)
    if existing is not None and existing.status != Registration.Status.CANCELLED:
        return services.update_needs(existing, by=request.user, **payload.dict())
    return services.register(meeting, user=request.user, **payload.dict())


@router.delete("/meetings/{pk}/registration", response=RegistrationOut, auth=WRITE_AUTH)
def unregister(request, pk: int):
    meeting = _visible_meeting(request, pk)
    registration = selectors.registration_of(meeting, request.user)
    if registration is None:
        raise Http404
    return services.cancel_registration(registration, by=request.user)


class AgendaItemIn(Schema):
    """Times are local wall-clock times in the meeting's time zone."""

    starts_at: datetime
    ends_at: datetime | None = None
    title: str
    speakers: str = ""
    description: str = ""


class AttendanceIn(Schema):
    attended: list[int]


class RegistrantOut(Schema):
    id: int
    name: str
    status: str
    accessibility_needs: str
    dietary_needs: str
    attended: bool | None

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)


def _editable_meeting(request, pk: int, perm: str = "meetings.change_meeting") -> Meeting:
    meeting = _visible_meeting(request, pk)
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied(perm)
    return meeting


@router.post("/meetings/{pk}/agenda", response={201: AgendaItemOut}, auth=WRITE_AUTH)
def add_agenda_item(request, pk: int, payload: AgendaItemIn):
    meeting = _editable_meeting(request, pk)
    fields = payload.dict()
    fields["starts_at"] = place_in_zone(
        payload.starts_at.replace(tzinfo=None), meeting.time_zone, "starts_at"
    )
    if payload.ends_at is not None:
        fields["ends_at"] = place_in_zone(
            payload.ends_at.replace(tzinfo=None), meeting.time_zone, "ends_at"
        )
    return 201, services.add_agenda_item(meeting, by=request.user, **fields)


class AgendaItemPatch(Schema):
    version: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str | None = None
    speakers: str | None = None
    description: str | None = None


@router.patch("/meetings/{pk}/agenda/{item_pk}", response=AgendaItemOut, auth=WRITE_AUTH)
def update_agenda_item(request, pk: int, item_pk: int, payload: AgendaItemPatch):
    meeting = _editable_meeting(request, pk)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    changes = payload.dict(exclude={"version"}, exclude_unset=True)
    for name in ["starts_at", "ends_at"]:
        if changes.get(name) is not None:
            changes[name] = place_in_zone(
                changes[name].replace(tzinfo=None), meeting.time_zone, name
            )
    return services.update_agenda_item(
        item, by=request.user, expected_version=payload.version, changes=changes
    )


@router.delete("/meetings/{pk}/agenda/{item_pk}", response={204: None}, auth=WRITE_AUTH)
def remove_agenda_item(request, pk: int, item_pk: int):
    meeting = _editable_meeting(request, pk)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    services.remove_agenda_item(item, by=request.user)
    return 204, None


@router.get("/meetings/{pk}/registrations", response=list[RegistrantOut], auth=WRITE_AUTH)
@paginate
def list_registrants(request, pk: int):
    """Who registered, with their needs (organisers only)."""
    meeting = _editable_meeting(request, pk, "meetings.manage_registrations")
    return selectors.registrants(meeting)


@router.post("/meetings/{pk}/attendance", response=list[RegistrantOut], auth=WRITE_AUTH)
def record_attendance(request, pk: int, payload: AttendanceIn):
    meeting = _editable_meeting(request, pk, "meetings.manage_registrations")
    services.record_attendance(meeting, by=request.user, attended_ids=payload.attended)
    return list(selectors.registrants(meeting))
