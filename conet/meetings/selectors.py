"""Reads for meeting pages, the calendars and the API, each in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from conet.accounts.roles import roles_of
from conet.actionplans.models import Action
from conet.core.translations.selectors import attach
from conet.meetings.models import AgendaItem, Meeting, MeetingDocument, Registration
from conet.networks.models import Partnership
from conet.practices.models import GoodPractice

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED


def with_counts(meetings):
    return meetings.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=REGISTERED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=WAITLISTED)),
    )


def visible_to(user, meetings=None):
    """The meetings `user` may see (the same rule as meetings.view_meeting, as one filter)."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    if user is not None and user.is_authenticated and user.is_staff and user.is_active:
        return meetings
    roles = roles_of(user)
    visible = Q(is_public=True)
    if roles.network_ids:
        visible |= Q(network_id__in=roles.network_ids)
    if roles.city_ids:
        visible |= Q(host_city_id__in=roles.city_ids)
        visible |= ~Q(kind=Meeting.Kind.LSG) & Q(
            network_id__in=Partnership.objects.filter(city_id__in=roles.city_ids).values(
                "network_id"
            )
        )
    return meetings.filter(visible)


def meeting_page(pk: int) -> Meeting:
    """A meeting with what its page shows: agenda with documents, links, counts. Five queries,
    and one for the texts' translations when the reader reads another language."""
    meeting = (
        with_counts(Meeting.objects.filter(pk=pk))
        .select_related("network", "host_city", "local_group__partnership__city")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                AgendaItem.objects.order_by("starts_at", "pk").prefetch_related(
                    Prefetch("documents", MeetingDocument.objects.order_by("pk"))
                ),
            ),
            Prefetch("documents", MeetingDocument.objects.filter(agenda_item__isnull=True)),
            "core_tasks",
            Prefetch("practices", GoodPractice.objects.order_by("name")),
            Prefetch(
                "plan_actions",
                queryset=Action.objects.select_related(
                    "plan__partnership__city", "plan__partnership__network"
                )
                # Whether a visitor can read the plan: a launched version exists.
                .annotate(plan_launched_versions=Count("plan__versions"))
                .order_by("plan__partnership__city__name", "number"),
            ),
        )
        .get()
    )
    attach([meeting, *meeting.agenda_items.all()])
    return meeting


def registration_of(meeting: Meeting, user) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.filter(meeting=meeting, user=user).first()


def registrants(meeting: Meeting):
    """Everyone registered or waiting, in the order they are served (for the organisers)."""
    return (
        Registration.objects.filter(meeting=meeting)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "waitlisted_at", "created_at", "pk")
    )


def calendar(user, *, network=None, past: bool = False):
    """Meetings by start, upcoming first (or past, newest first), with the host city and counts."""
    now = timezone.now()
    meetings = visible_to(user, Meeting.objects.select_related("host_city", "network"))
    if network is not None:
        meetings = meetings.filter(network=network)
    if past:
        meetings = meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        meetings = meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return with_counts(meetings)


def network_feed_meetings(network, user=None):
    """For the network's iCal feed: every meeting a visitor (or `user`) may see."""
    return (
        visible_to(user, Meeting.objects.filter(network=network))
        .select_related("host_city", "network")
        .order_by("starts_at", "pk")
    )


def personal_feed_meetings(user):
    """For a person's iCal feed: the meetings they are registered or waiting for."""
    return (
        Meeting.objects.filter(
            registrations__user=user, registrations__status__in=[REGISTERED, WAITLISTED]
        )
        .select_related("host_city", "network")
        .order_by("starts_at", "pk")
    )


def my_registrations(user):
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("meeting__host_city", "meeting__network")
        .order_by("-meeting__starts_at")
    )
