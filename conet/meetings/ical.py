"""Calendar files (RFC 5545) for a meeting, a network's meetings and a person's meetings.

Times are written in the meeting's own time zone (DTSTART;TZID=Europe/Berlin:…) with a matching
VTIMEZONE block, which is what Outlook, Google Calendar and Apple Calendar read reliably; DTSTAMP
and the rest are UTC.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from conet.meetings.models import Meeting

PRODID = "-//CoNet//meetings//EN"


def _uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{getattr(settings, 'CONET_CALENDAR_DOMAIN', 'conet')}"


def meeting_event(meeting: Meeting, base_url: str) -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.version)
    event.add("dtstart", meeting.local_starts_at)
    event.add("dtend", meeting.local_ends_at)
    event.add("summary", meeting.title)
    location = ", ".join(
        part
        for part in [
            meeting.venue,
            meeting.address,
            meeting.host_city.name if meeting.host_city_id else "",
        ]
        if part
    )
    if location:
        event.add("location", location)
    url = base_url.rstrip("/") + meeting.get_absolute_url()
    event.add("url", url)
    description = "\n\n".join(part for part in [meeting.theme, meeting.description, url] if part)
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("categories", [meeting.get_kind_display()])
    return event


def calendar(meetings: Iterable[Meeting], base_url: str, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, base_url))
    cal.add_missing_timezones()
    return cal.to_ical()
