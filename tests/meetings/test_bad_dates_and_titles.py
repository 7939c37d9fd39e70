"""Meetings with hostile titles or absurd dates: a clear refusal, and feeds that never break."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from conet.meetings.models import Meeting
from tests.factories import api_headers, stored_rows
from tests.meetings.factories import MeetingFactory
from tests.meetings.test_view_permissions import meeting_form

pytestmark = pytest.mark.django_db


def test_a_newline_in_the_title_gives_a_valid_calendar_file(network, client):
    meeting = MeetingFactory(network=network, title="Line one\nLine two\r\nX-INJECTED:1")
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    parsed = Calendar.from_ical(response.content)
    (event,) = parsed.walk("VEVENT")
    assert "X-INJECTED" not in event
    assert str(event["summary"]).startswith("Line one")


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01T09:00", "0001-01-01T10:00"), ("9999-12-31T09:00", "9999-12-31T10:00")],
)
def test_a_meeting_in_year_1_or_9999_is_refused_next_to_the_date(
    people, network, city, client_as, start, end
):
    client = client_as(people["network_coordinator"])
    before = stored_rows()
    response = client.post(
        f"/en/networks/{network.slug}/meetings/new/",
        meeting_form(host_city=city.pk, starts_at=start, ends_at=end),
    )
    assert response.status_code in {200, 422}
    assert "between the years" in response.content.decode()
    assert stored_rows() == before
    assert not Meeting.objects.filter(title="New meeting").exists()


def test_the_api_refuses_a_meeting_in_year_9999(people, network, city, client):
    headers = api_headers(people["network_coordinator"])
    response = client.post(
        f"/api/v1/networks/{network.slug}/meetings",
        data={
            "title": "Far",
            "starts_at": "9999-12-31T09:00:00+00:00",
            "ends_at": "9999-12-31T10:00:00+00:00",
            "time_zone": "Europe/Berlin",
            "host_city": city.slug,
        },
        content_type="application/json",
        headers=headers,
    )
    assert 400 <= response.status_code < 500
    assert not Meeting.objects.filter(title="Far").exists()


def test_the_network_feed_survives_a_meeting_stored_at_the_edge_of_time(network, client):
    MeetingFactory(
        network=network,
        title="Old record",
        starts_at=datetime(1, 1, 1, 12, tzinfo=UTC),
        ends_at=datetime(1, 1, 1, 13, tzinfo=UTC),
        time_zone="UTC",
    )
    MeetingFactory(
        network=network,
        title="Far future",
        starts_at=datetime(9999, 12, 31, 9, tzinfo=UTC),
        ends_at=datetime(9999, 12, 31, 10, tzinfo=UTC),
        time_zone="UTC",
    )
    MeetingFactory(network=network, title="Next month")
    response = client.get(f"/networks/{network.slug}/meetings.ics")
    assert response.status_code == 200
    titles = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert "Next month" in titles
