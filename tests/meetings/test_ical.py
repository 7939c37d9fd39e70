"""iCal files parsed back with the icalendar library: the right instants across DST changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conet.meetings import services
from conet.meetings.ical import calendar
from tests.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

BERLIN, SOFIA = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/Sofia")


def events(content: bytes) -> dict:
    parsed = Calendar.from_ical(content)
    return {str(event["summary"]): event for event in parsed.walk("VEVENT")}, parsed


def test_meetings_either_side_of_the_spring_and_autumn_changes_keep_their_local_times():
    # Berlin springs forward on 29 March 2026, Sofia falls back on 25 October 2026.
    meetings = [
        MeetingFactory(
            title="Berlin before",
            time_zone="Europe/Berlin",
            starts_at=datetime(2026, 3, 28, 9, 30, tzinfo=BERLIN),
            ends_at=datetime(2026, 3, 28, 17, 0, tzinfo=BERLIN),
        ),
        MeetingFactory(
            title="Berlin after",
            time_zone="Europe/Berlin",
            starts_at=datetime(2026, 3, 30, 9, 30, tzinfo=BERLIN),
            ends_at=datetime(2026, 3, 30, 17, 0, tzinfo=BERLIN),
        ),
        MeetingFactory(
            title="Sofia across the change",
            time_zone="Europe/Sofia",
            starts_at=datetime(2026, 10, 24, 10, 0, tzinfo=SOFIA),
            ends_at=datetime(2026, 10, 26, 13, 0, tzinfo=SOFIA),
        ),
    ]
    found, parsed = events(calendar(meetings, "https://conet.example"))

    before, after = found["Berlin before"], found["Berlin after"]
    assert before["dtstart"].dt == datetime(2026, 3, 28, 9, 30, tzinfo=BERLIN)
    assert before["dtstart"].dt.astimezone(UTC) == datetime(2026, 3, 28, 8, 30, tzinfo=UTC)
    assert after["dtstart"].dt.astimezone(UTC) == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert before["dtstart"].params["TZID"] == "Europe/Berlin"

    sofia = found["Sofia across the change"]
    assert sofia["dtstart"].dt.astimezone(UTC) == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    assert sofia["dtend"].dt.astimezone(UTC) == datetime(2026, 10, 26, 11, 0, tzinfo=UTC)
    assert sofia["dtstart"].params["TZID"] == "Europe/Sofia"

    # Each TZID used has its VTIMEZONE, with the summer and winter offsets a calendar needs.
    zones = {str(zone["tzid"]): zone for zone in parsed.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/Berlin", "Europe/Sofia"}
    berlin_offsets = {part["tzoffsetto"].td for part in zones["Europe/Berlin"].subcomponents}
    assert {timedelta(hours=1), timedelta(hours=2)} <= berlin_offsets
    # And the zone described in the file itself gives the right instants (as Outlook reads it).
    berlin_from_file = zones["Europe/Berlin"].to_tz()
    local = datetime(2026, 3, 30, 9, 30)
    assert local.replace(tzinfo=berlin_from_file).astimezone(UTC) == datetime(
        2026, 3, 30, 7, 30, tzinfo=UTC
    )


def test_meeting_file_names_the_meeting_place_and_link(client):
    meeting = MeetingFactory(
        title="Alba Iulia", venue="Primăria", address="Piața Iuliu Maniu", is_public=True
    )
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found, _parsed = events(response.content)
    event = found["Alba Iulia"]
    assert "Primăria" in str(event["location"])
    assert str(event["url"]).endswith(f"/en/meetings/{meeting.pk}/")
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_network_feed_lists_public_meetings_only(client, network):
    MeetingFactory(network=network, title="Open", is_public=True)
    MeetingFactory(network=network, title="Internal", is_public=False)
    response = client.get(f"/networks/{network.slug}/meetings.ics")
    found, _parsed = events(response.content)
    assert set(found) == {"Open"}


def test_personal_feed_lists_my_meetings_by_its_secret_address_and_a_reset_kills_it(client):
    person = UserFactory()
    mine = MeetingFactory(title="Mine", is_public=False)
    RegistrationFactory(meeting=mine, user=person)
    MeetingFactory(title="Not mine")
    feed = services.calendar_feed(person)
    response = client.get(f"/meetings/calendar/{feed.token}.ics")
    found, _parsed = events(response.content)
    assert set(found) == {"Mine"}
    old = feed.token
    services.reset_calendar_feed(person)
    assert client.get(f"/meetings/calendar/{old}.ics").status_code == 404
    assert client.get("/meetings/calendar/not-a-token.ics").status_code == 404


def test_a_cancelled_meeting_is_marked_cancelled_in_calendars():
    meeting = MeetingFactory(status="cancelled")
    AgendaItemFactory(meeting=meeting)
    found, _parsed = events(calendar([meeting], "https://conet.example"))
    assert str(found[meeting.title]["status"]) == "CANCELLED"


def test_feeds_are_rebuilt_when_a_meeting_in_them_changes(client, network, people):
    meeting = MeetingFactory(network=network, title="Before", is_public=True)
    url = f"/networks/{network.slug}/meetings.ics"
    assert "Before" in events(client.get(url).content)[0]
    services.update_meeting(
        meeting, by=people["platform_admin"], expected_version=1, changes={"title": "After"}
    )
    assert set(events(client.get(url).content)[0]) == {"After"}
    MeetingFactory(network=network, title="New one", is_public=True)
    assert set(events(client.get(url).content)[0]) == {"After", "New one"}


def test_personal_feed_follows_registrations(client):
    person = UserFactory()
    meeting = MeetingFactory(title="Mine soon", capacity=5)
    feed = services.calendar_feed(person)
    url = f"/meetings/calendar/{feed.token}.ics"
    assert events(client.get(url).content)[0] == {}
    registration = services.register(meeting, user=person)
    assert set(events(client.get(url).content)[0]) == {"Mine soon"}
    services.cancel_registration(registration, by=person)
    assert events(client.get(url).content)[0] == {}
