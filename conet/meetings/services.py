"""Every write to meetings: one function per use case, each in a transaction, emitting activity.

Seats: registering and cancelling lock the meeting first — `SELECT … FOR UPDATE` on PostgreSQL; on
SQLite the transaction itself holds the database's write lock from BEGIN (settings use
`transaction_mode = IMMEDIATE`), and we take it with a write before reading in case it does not —
so two people who take the last seat at the same moment are served one after the other: one gets
it, the other joins the waiting list.
"""

import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from conet.accounts.models import Membership, Role
from conet.core.activity import record_activity
from conet.core.concurrency import update_versioned
from conet.core.permissions import require
from conet.meetings.documents import check_upload
from conet.meetings.models import AgendaItem, CalendarFeed, Meeting, MeetingDocument, Registration
from conet.notifications.services import notify, site_url
from conet.search.services import index_later

MEETING_FIELDS = [
    "title", "theme", "description", "language", "starts_at", "ends_at", "time_zone", "venue",
    "address", "capacity", "registration_open", "is_public", "host_city", "minutes", "outputs",
]  # fmt: skip
MEETING_LINKS = ["core_tasks", "plan_actions", "practices"]
AGENDA_FIELDS = ["starts_at", "ends_at", "title", "description", "speakers"]


def needs_retention_days() -> int:
    return int(getattr(settings, "CONET_MEETING_NEEDS_RETENTION_DAYS", 1))


def reminder_days() -> int:
    return int(getattr(settings, "CONET_MEETING_REMINDER_DAYS", 2))


def _local_date(meeting: Meeting) -> str:
    return meeting.local_starts_at.date().isoformat()


def _record(meeting: Meeting, kind: str, actor) -> None:
    record_activity(
        kind=kind,
        scope=meeting.network,
        actor=actor,
        data={
            "title": meeting.title,
            "city": meeting.host_city.name if meeting.host_city_id else "",
            "date": _local_date(meeting),
        },
        language=meeting.language,
        link=meeting.get_absolute_url(),
        public=meeting.is_public,
    )


def _reindex(meeting_id: int) -> None:
    """Row updates (versioned saves, agenda changes) send no save signal: tell search ourselves."""
    index_later("meeting", meeting_id)


def _check_links(meeting: Meeting, links: dict) -> None:
    """Core tasks must be the network's own, plan actions from plans of the network."""
    for task in links.get("core_tasks") or []:
        if task.network_id != meeting.network_id:
            raise ValidationError({"core_tasks": _("Choose core tasks of this network.")})
    for action in links.get("plan_actions") or []:
        if action.plan.partnership.network_id != meeting.network_id:
            raise ValidationError({"plan_actions": _("Choose actions of this network's plans.")})
    for practice in links.get("practices") or []:
        if practice.status != "published":
            raise ValidationError({"practices": _("Choose published good practices.")})


def _check_host(network, host_city) -> None:
    if host_city is not None and not network.partnerships.filter(city=host_city).exists():
        raise ValidationError({"host_city": _("The host city must be a partner of the network.")})


@transaction.atomic
def create_meeting(network, *, by, kind: str = Meeting.Kind.THEMATIC, **fields) -> Meeting:
    """A thematic meeting or a site visit of `network` (the network's team creates them)."""
    if kind not in {Meeting.Kind.THEMATIC, Meeting.Kind.SITE_VISIT}:
        raise ValidationError({"kind": _("Choose a thematic meeting or a site visit.")})
    require(by, "meetings.add_network_meeting", network)
    return _create(network=network, kind=kind, by=by, local_group=None, fields=fields)


@transaction.atomic
def create_group_meeting(group, *, by, **fields) -> Meeting:
    """A meeting of a city's Local Support Group (its city coordinator creates it)."""
    require(by, "meetings.add_group_meeting", group)
    fields["host_city"] = group.partnership.city
    meeting = _create(
        network=group.partnership.network,
        kind=Meeting.Kind.LSG,
        by=by,
        local_group=group,
        fields=fields,
    )
    # The group's people hear of it: the city's coordinators and members, not the one who planned it.
    members = Membership.objects.filter(
        city_id=group.partnership.city_id, role__in=[Role.CITY_COORDINATOR, Role.LSG_MEMBER]
    ).exclude(user=by)
    notify(
        members.values_list("user_id", flat=True),
        "meeting.group_meeting",
        {"city": meeting.host_city.name, "meeting": meeting.title, "date": _local_date(meeting)},
        url=meeting.get_absolute_url(),
        actor=by,
    )
    return meeting


def _create(*, network, kind, by, local_group, fields) -> Meeting:
    links = {name: fields.pop(name) for name in MEETING_LINKS if name in fields}
    fields = {name: value for name, value in fields.items() if name in MEETING_FIELDS}
    meeting = Meeting(
        network=network,
        kind=kind,
        local_group=local_group,
        created_by=by if by is not None and by.is_authenticated else None,
        **fields,
    )
    meeting.full_clean()
    _check_host(network, meeting.host_city)
    _check_links(meeting, links)
    meeting.save()
    for name, values in links.items():
        getattr(meeting, name).set(values)
    _record(meeting, "meeting.scheduled", by)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by, expected_version: int, changes: dict) -> Meeting:
    """Change a meeting; a save that started from an older version is refused (EditConflict)."""
    require(by, "meetings.change_meeting", meeting)
    # The row as stored: a bound ModelForm has already written its values onto `meeting`.
    before = Meeting.objects.get(pk=meeting.pk)
    links = {name: changes[name] for name in MEETING_LINKS if name in changes}
    changes = {name: value for name, value in changes.items() if name in MEETING_FIELDS}
    if meeting.kind == Meeting.Kind.LSG:
        changes.pop("host_city", None)
    candidate = copy.copy(before)
    for name, value in changes.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["network", "local_group", "created_by"], validate_unique=False)
    if "host_city" in changes:
        _check_host(before.network, changes["host_city"])
    _check_links(meeting, links)
    minutes_were_empty = not before.minutes.strip()
    stored = update_versioned(before, expected_version, changes)
    for name, values in links.items():
        getattr(stored, name).set(values)
    if minutes_were_empty and stored.minutes.strip():
        _record(stored, "meeting.minutes", by)
    _reindex(stored.pk)
    if stored.capacity is None or (
        before.capacity is not None and before.capacity < stored.capacity
    ):
        _lock(stored)
        _promote_waiting(stored, by)
    return stored


def _field_values(meeting: Meeting) -> dict:
    return {
        field.attname: getattr(meeting, field.attname) for field in Meeting._meta.concrete_fields
    }


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by) -> Meeting:
    """Call a meeting off: everyone registered or waiting is told."""
    require(by, "meetings.change_meeting", meeting)
    if meeting.is_cancelled:
        return meeting
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CANCELLED, version=F("version") + 1, updated_at=timezone.now()
    )
    meeting.refresh_from_db()
    people = Registration.objects.filter(meeting=meeting).exclude(
        status=Registration.Status.CANCELLED
    )
    notify(
        people.values_list("user_id", flat=True),
        "meeting.cancelled",
        {"meeting": meeting.title, "date": _local_date(meeting)},
        url=meeting.get_absolute_url(),
        actor=by,
    )
    _record(meeting, "meeting.cancelled", by)
    _reindex(meeting.pk)
    return meeting


# Agenda and documents -----------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(meeting: Meeting, *, by, **fields) -> AgendaItem:
    require(by, "meetings.change_meeting", meeting)
    fields = {name: value for name, value in fields.items() if name in AGENDA_FIELDS}
    item = AgendaItem(meeting=meeting, **fields)
    item.full_clean()
    _check_within_meeting(meeting, item)
    item.save()
    _reindex(meeting.pk)
    return item


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, by, expected_version: int, changes: dict) -> AgendaItem:
    require(by, "meetings.change_meeting", item.meeting)
    changes = {name: value for name, value in changes.items() if name in AGENDA_FIELDS}
    candidate = AgendaItem(
        meeting=item.meeting,
        **{**{name: getattr(item, name) for name in AGENDA_FIELDS}, **changes},
    )
    candidate.full_clean(exclude=["meeting"])
    _check_within_meeting(item.meeting, candidate)
    stored = update_versioned(item, expected_version, changes)
    _reindex(item.meeting_id)
    return stored


def _check_within_meeting(meeting: Meeting, item: AgendaItem) -> None:
    # A day of slack either side: a site visit's dinner the evening before is on the agenda too.
    if not (
        meeting.starts_at - timedelta(days=1)
        <= item.starts_at
        <= meeting.ends_at + timedelta(days=1)
    ):
        raise ValidationError({"starts_at": _("The item is not during the meeting.")})


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, by) -> None:
    require(by, "meetings.change_meeting", item.meeting)
    item.delete()
    _reindex(item.meeting_id)


@transaction.atomic
def add_document(meeting: Meeting, *, by, title: str, upload, agenda_item=None) -> MeetingDocument:
    require(by, "meetings.change_meeting", meeting)
    content_type = check_upload(upload)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    document = MeetingDocument(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title.strip()[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(upload.name.rsplit("/", 1)[-1][-100:], upload, save=False)
    document.save()
    return document


@transaction.atomic
def remove_document(document: MeetingDocument, *, by) -> None:
    require(by, "meetings.change_meeting", document.meeting)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)


# Registration and the waiting list ---------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    """Take the meeting's lock for the rest of the transaction; returns the row as stored now."""
    if connection.vendor == "sqlite":
        # A write first: SQLite's write lock is the lock (already held under IMMEDIATE mode).
        Meeting.objects.filter(pk=meeting.pk).update(version=F("version"))
        return Meeting.objects.select_related("network", "host_city").get(pk=meeting.pk)
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("network", "host_city")
        .get(pk=meeting.pk)
    )


def registration_and_seats_taken(meeting: Meeting, user) -> tuple[int | None, int]:
    """The id of `user`'s registration (None) and the seats taken, in one query."""
    found = Registration.objects.filter(meeting=meeting).aggregate(
        mine=Max("pk", filter=Q(user=user)),
        taken=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
    )
    return found["mine"], found["taken"]


def seats_taken(meeting: Meeting) -> int:
    return Registration.objects.filter(
        meeting=meeting, status=Registration.Status.REGISTERED
    ).count()


def _organisers(meeting: Meeting) -> list[int]:
    return [meeting.created_by_id] if meeting.created_by_id else []


def _clean_needs(consent: bool, accessibility: str, dietary: str) -> tuple[str, str]:
    accessibility, dietary = (accessibility or "").strip(), (dietary or "").strip()
    if (accessibility or dietary) and not consent:
        raise ValidationError(
            {
                "needs_consent": _(
                    "We can keep your accessibility and dietary needs only with your consent."
                )
            }
        )
    return accessibility, dietary


@transaction.atomic
def register(
    meeting: Meeting,
    *,
    user,
    needs_consent: bool = False,
    accessibility_needs: str = "",
    dietary_needs: str = "",
) -> Registration:
    """Register `user` themselves: a seat while there is one, else the end of the waiting list."""
    accessibility, dietary = _clean_needs(needs_consent, accessibility_needs, dietary_needs)
    meeting = _lock(meeting)
    require(user, "meetings.register", meeting)
    mine, taken = registration_and_seats_taken(meeting, user)
    registration = Registration.objects.get(pk=mine) if mine is not None else None
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    full = meeting.capacity is not None and taken >= meeting.capacity
    now = timezone.now()
    values = {
        "status": Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
        "waitlisted_at": now if full else None,
        "needs_consent": needs_consent,
        "accessibility_needs": accessibility,
        "dietary_needs": dietary,
        "attended": None,
        "reminder_sent_at": None,
    }
    if registration is None:
        registration = Registration.objects.create(meeting=meeting, user=user, **values)
    else:
        for name, value in values.items():
            setattr(registration, name, value)
        registration.save()
    params = {"meeting": meeting.title, "date": _local_date(meeting)}
    url = meeting.get_absolute_url()
    if full:
        params["position"] = waiting_position(registration)
        notify([user], "meeting.waitlisted", params, url=url)
    else:
        notify([user], "meeting.registered", params, url=url)
        notify(
            [pk for pk in _organisers(meeting) if pk != user.pk],
            "meeting.new_registration",
            {**params, "name": str(user)},
            url=url,
            actor=user,
        )
    return registration


def waiting_position(registration: Registration) -> int:
    return Registration.objects.filter(
        meeting_id=registration.meeting_id,
        status=Registration.Status.WAITLISTED,
        waitlisted_at__lte=registration.waitlisted_at,
        pk__lte=registration.pk,
    ).count()


@transaction.atomic
def cancel_registration(registration: Registration, *, by) -> Registration:
    """Give up a seat (or a place on the waiting list); the first person waiting moves up."""
    meeting = _lock(registration.meeting)
    if by is None or (
        by.pk != registration.user_id and not by.has_perm("meetings.manage_registrations", meeting)
    ):
        raise PermissionDenied("meetings.cancel_registration")
    registration.refresh_from_db()
    if registration.status == Registration.Status.CANCELLED:
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
    _promote_waiting(meeting, by)
    return registration


def _promote_waiting(meeting: Meeting, actor) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. Call with the lock held."""
    if meeting.is_cancelled:
        return []
    free = None if meeting.capacity is None else meeting.capacity - seats_taken(meeting)
    waiting = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.WAITLISTED
    ).order_by("waitlisted_at", "pk")
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.REGISTERED, waitlisted_at=None, updated_at=timezone.now()
    )
    notify(
        [r.user_id for r in promoted],
        "meeting.promoted",
        {"meeting": meeting.title, "date": _local_date(meeting)},
        url=meeting.get_absolute_url(),
    )
    return promoted


@transaction.atomic
def update_needs(
    registration: Registration,
    *,
    by,
    needs_consent: bool,
    accessibility_needs: str,
    dietary_needs: str,
) -> Registration:
    """Change one's own needs; withdrawing consent erases them at once."""
    if by is None or by.pk != registration.user_id:
        raise PermissionDenied("meetings.update_needs")
    accessibility, dietary = _clean_needs(needs_consent, accessibility_needs, dietary_needs)
    registration.needs_consent = needs_consent
    registration.accessibility_needs = accessibility if needs_consent else ""
    registration.dietary_needs = dietary if needs_consent else ""
    registration.save(
        update_fields=["needs_consent", "accessibility_needs", "dietary_needs", "updated_at"]
    )
    return registration


@transaction.atomic
def record_attendance(meeting: Meeting, *, by, attended_ids) -> int:
    """Mark who came: the registrations listed attended, every other registered one absent."""
    require(by, "meetings.manage_registrations", meeting)
    attended_ids = {int(pk) for pk in attended_ids}
    registered = Registration.objects.filter(meeting=meeting, status=Registration.Status.REGISTERED)
    unknown = attended_ids - set(registered.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"attended": _("Only registered people can be marked present.")})
    registered.filter(pk__in=attended_ids).update(attended=True)
    registered.exclude(pk__in=attended_ids).update(attended=False)
    return len(attended_ids)


# Retention, reminders, calendar feeds --------------------------------------------------------------


def erase_needs_after_meetings(now=None) -> int:
    """The retention rule: accessibility and dietary needs are erased once a meeting has been over
    for CONET_MEETING_NEEDS_RETENTION_DAYS days. Returns the number of registrations cleaned."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=needs_retention_days())
    with transaction.atomic():
        over = Meeting.objects.filter(ends_at__lte=cutoff)
        erased = (
            Registration.objects.filter(meeting__in=over)
            .exclude(accessibility_needs="", dietary_needs="")
            .update(accessibility_needs="", dietary_needs="", updated_at=now)
        )
        over.filter(needs_erased_at__isnull=True).update(needs_erased_at=now)
    return erased


def send_reminders(now=None) -> int:
    """E-mail everyone registered for a meeting that starts within CONET_MEETING_REMINDER_DAYS days,
    once: each registration is claimed (reminder_sent_at) before its mail goes out."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminder_sent_at__isnull=True,
        meeting__status=Meeting.Status.PLANNED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + timedelta(days=reminder_days()),
        user__is_active=True,
    ).select_related("meeting__host_city", "user")
    sent = 0
    for registration in due:
        claimed = Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            continue
        _send_reminder(registration)
        sent += 1
    return sent


def _send_reminder(registration: Registration) -> None:
    meeting, user = registration.meeting, registration.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        starts = formats.date_format(meeting.local_starts_at, "DATETIME_FORMAT")
        subject = _("Reminder: %(meeting)s starts on %(date)s") % {
            "meeting": meeting.title,
            "date": starts,
        }
        body = render_to_string(
            "meetings/email/reminder.txt",
            {
                "user": user,
                "meeting": meeting,
                "starts": starts,
                "url": site_url() + meeting.get_absolute_url(),
                "ics_url": site_url() + reverse("meetings_machine:meeting_ics", args=[meeting.pk]),
                "site_name": settings.CONET_SITE_NAME,
            },
        )
    send_mail(subject, body, None, [user.email])


def calendar_feed(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    return feed


@transaction.atomic
def reset_calendar_feed(user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed(user)
    feed.token = CalendarFeed.new_token()
    feed.save(update_fields=["token"])
    return feed
