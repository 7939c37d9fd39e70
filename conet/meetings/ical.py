"""Calendar files (RFC 5545) for a meeting, a network's meetings and a person's meetings.

Times are written in the meeting's own time zone (DTSTART;TZID=Europe/Berlin:…) with a matching
VTIMEZONE block, which is what Outlook, Google Calendar and Apple Calendar read reliably; DTSTAMP
and the rest are UTC.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from conet.meetings.models import Meeting

PRODID = "-//CoNet//meetings//EN"
# Time-zone rules are written for these years at most (a meeting outside them is refused when it is
# saved, but one stored earlier must not break a feed that every subscriber reads).
FIRST_YEAR, LAST_YEAR = Meeting.FIRST_YEAR, Meeting.LAST_YEAR


def _one_line(text: str) -> str:
    """A title or a place on one line: a line break there would end the calendar's content line."""
    return " ".join(text.split())


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
    event.add("summary", _one_line(meeting.title))
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
        event.add("location", _one_line(location))
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
        cal.add("x-wr-calname", _one_line(name))
    zones: dict[str, list[int]] = {}
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, base_url))
        years = zones.setdefault(meeting.time_zone, [])
        years += [meeting.local_starts_at.year, meeting.local_ends_at.year]
    # One VTIMEZONE per zone used, covering the years of its meetings (a year either side), so a
    # feed stays small and every DST change a calendar needs is in it.
    for name in sorted(zones):
        first = min(max(min(zones[name]) - 1, FIRST_YEAR), LAST_YEAR)
        last = max(min(max(zones[name]) + 1, LAST_YEAR), first)
        cal.add_component(_vtimezone(name, first, last))
    cal.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return cal.to_ical()


@lru_cache(maxsize=256)
def _vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzid(
        name, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )
