"""The role × action matrix for every write page and API call of meetings: allowed roles change
what they should; every other role is refused (403, the login page, or 401 from the API) and
nothing is stored."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conet.localgroups.services import group_of
from conet.meetings.models import AgendaItem, Meeting, MeetingDocument, Registration
from conet.networks.models import Partnership
from tests.conftest import ROLES
from tests.factories import ALLOWED, api_headers, assert_refused, outcome_table
from tests.meetings.conftest import state
from tests.meetings.factories import MeetingFactory, RegistrationFactory

NETWORK_TEAM = {"platform_admin", "network_coordinator", "lead_expert"}
EDITORS = NETWORK_TEAM | {"city_coordinator"}  # the host city's coordinator co-edits
CITY = {"platform_admin", "city_coordinator"}
SIGNED_IN = set(ROLES) - {"visitor"}
SEES_INTERNAL_LSG = {
    "platform_admin", "network_coordinator", "lead_expert", "expert", "city_coordinator",
    "lsg_member",
}  # fmt: skip

START = "2031-05-27T09:00"
END = "2031-05-28T13:00"


def meeting_form(**changes):
    data = {
        "title": "New meeting", "theme": "", "description": "", "language": "en",
        "time_zone": "Europe/Berlin", "starts_at": START, "ends_at": END, "venue": "", "address": "",
        "capacity": "", "registration_open": "on", "is_public": "on", "minutes": "", "outputs": "",
        "version": "1",
    }  # fmt: skip
    data.update(changes)
    return data


def _pdf():
    return SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", content_type="application/pdf")


CASES = {
    # name: (allowed roles, meeting kind, url, data, did it happen?)
    "create thematic meeting": (
        NETWORK_TEAM, "thematic", lambda m: f"/en/networks/{m.network.slug}/meetings/new/",
        lambda m: meeting_form(host_city=m.host_city_id),
        lambda m: Meeting.objects.filter(title="New meeting", kind="thematic").exists(),
    ),
    "create site visit": (
        NETWORK_TEAM, "thematic", lambda m: f"/en/networks/{m.network.slug}/meetings/new/?kind=site_visit",
        lambda m: meeting_form(kind="site_visit"),
        lambda m: Meeting.objects.filter(title="New meeting", kind="site_visit").exists(),
    ),
    "create LSG meeting": (
        CITY, "thematic",
        lambda m: f"/en/networks/{m.network.slug}/{m.host_city.slug}/group/meetings/new/",
        lambda m: meeting_form(),
        lambda m: Meeting.objects.filter(title="New meeting", kind="lsg").exists(),
    ),
    "edit thematic meeting": (
        EDITORS, "thematic", lambda m: f"/en/meetings/{m.pk}/edit/",
        lambda m: meeting_form(title="Renamed", host_city=m.host_city_id),
        lambda m: Meeting.objects.get(pk=m.pk).title == "Renamed",
    ),
    "edit LSG meeting": (
        CITY, "lsg", lambda m: f"/en/meetings/{m.pk}/edit/",
        lambda m: meeting_form(title="Renamed"),
        lambda m: Meeting.objects.get(pk=m.pk).title == "Renamed",
    ),
    "cancel meeting": (
        EDITORS, "thematic", lambda m: f"/en/meetings/{m.pk}/cancel/", lambda m: {},
        lambda m: Meeting.objects.get(pk=m.pk).status == "cancelled",
    ),
    "add agenda item": (
        EDITORS, "thematic", lambda m: f"/en/meetings/{m.pk}/agenda/",
        lambda m: {"title": "Welcome", "starts_at": m.local_starts_at.strftime("%Y-%m-%dT%H:%M")},
        lambda m: AgendaItem.objects.filter(meeting=m, title="Welcome").exists(),
    ),
    "edit agenda item": (
        EDITORS, "thematic",
        lambda m: f"/en/meetings/{m.pk}/agenda/{AgendaItem.objects.get(meeting=m).pk}/",
        lambda m: {"title": "Welcome again", "starts_at": m.local_starts_at.strftime("%Y-%m-%dT%H:%M"),
                   "ends_at": "", "speakers": "", "description": "", "version": "1"},
        lambda m: AgendaItem.objects.get(meeting=m).title == "Welcome again",
    ),
    "remove agenda item": (
        EDITORS, "thematic",
        lambda m: f"/en/meetings/{m.pk}/agenda/{AgendaItem.objects.get(meeting=m).pk}/remove/",
        lambda m: {}, lambda m: not AgendaItem.objects.filter(meeting=m).exists(),
    ),
    "upload document": (
        EDITORS, "thematic", lambda m: f"/en/meetings/{m.pk}/documents/",
        lambda m: {"title": "Slides", "file": _pdf()},
        lambda m: MeetingDocument.objects.filter(meeting=m, title="Slides").exists(),
    ),
    "record attendance": (
        EDITORS, "thematic", lambda m: f"/en/meetings/{m.pk}/attendance/",
        lambda m: {"attended": [Registration.objects.get(meeting=m).pk]},
        lambda m: Registration.objects.get(meeting=m).attended is True,
    ),
    "register for a public meeting": (
        SIGNED_IN, "thematic", lambda m: f"/en/meetings/{m.pk}/register/", lambda m: {},
        lambda m: Registration.objects.filter(meeting=m).count() == 2,
    ),
    "register for an internal LSG meeting": (
        SEES_INTERNAL_LSG, "lsg", lambda m: f"/en/meetings/{m.pk}/register/", lambda m: {},
        lambda m: Registration.objects.filter(meeting=m).count() == 2,
    ),
}  # fmt: skip


def _meeting(kind, network, city):
    if kind == "lsg":
        group = group_of(Partnership.objects.get(network=network, city=city))
        meeting = MeetingFactory(
            network=network, host_city=city, kind="lsg", local_group=group, is_public=False
        )
    else:
        meeting = MeetingFactory(network=network, host_city=city, capacity=10)
    AgendaItem.objects.create(meeting=meeting, starts_at=meeting.starts_at, title="Existing")
    RegistrationFactory(meeting=meeting)
    return meeting


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("role", ROLES)
def test_write_pages_are_allowed_or_refused_by_role(case, role, people, network, city, client_as):
    allowed, kind, url, data, happened = CASES[case]
    meeting = _meeting(kind, network, city)
    outcome = outcome_table(allowed)[role]
    before = state()
    response = client_as(people[role]).post(url(meeting), data(meeting))
    if outcome == ALLOWED:
        assert response.status_code == 302, response.content[:2000]
        assert happened(meeting)
    else:
        assert_refused(response, outcome)
        assert state() == before


API_CASES = {
    "create": (
        NETWORK_TEAM, lambda m: ("post", f"/api/v1/networks/{m.network.slug}/meetings"),
        {"title": "API meeting", "starts_at": START, "ends_at": END, "time_zone": "Europe/Sofia"},
        lambda m: Meeting.objects.filter(title="API meeting").exists(),
    ),
    "update": (
        EDITORS, lambda m: ("patch", f"/api/v1/meetings/{m.pk}"),
        {"version": 1, "title": "Patched"},
        lambda m: Meeting.objects.get(pk=m.pk).title == "Patched",
    ),
    "cancel": (
        EDITORS, lambda m: ("post", f"/api/v1/meetings/{m.pk}/cancel"), {},
        lambda m: Meeting.objects.get(pk=m.pk).status == "cancelled",
    ),
    "add agenda item": (
        EDITORS, lambda m: ("post", f"/api/v1/meetings/{m.pk}/agenda"),
        lambda m: {"title": "API item", "starts_at": m.local_starts_at.strftime("%Y-%m-%dT%H:%M")},
        lambda m: AgendaItem.objects.filter(title="API item").exists(),
    ),
    "edit agenda item": (
        EDITORS,
        lambda m: ("patch", f"/api/v1/meetings/{m.pk}/agenda/{AgendaItem.objects.get(meeting=m).pk}"),
        {"version": 1, "title": "Renamed item", "speakers": "Prof. Weeber"},
        lambda m: AgendaItem.objects.get(meeting=m).title == "Renamed item",
    ),
    "remove agenda item": (
        EDITORS,
        lambda m: ("delete", f"/api/v1/meetings/{m.pk}/agenda/{AgendaItem.objects.get(meeting=m).pk}"),
        {}, lambda m: not AgendaItem.objects.filter(meeting=m).exists(),
    ),
    "record attendance": (
        EDITORS, lambda m: ("post", f"/api/v1/meetings/{m.pk}/attendance"),
        lambda m: {"attended": [Registration.objects.get(meeting=m).pk]},
        lambda m: Registration.objects.get(meeting=m).attended is True,
    ),
    "register": (
        SIGNED_IN, lambda m: ("put", f"/api/v1/meetings/{m.pk}/registration"), {},
        lambda m: Registration.objects.filter(meeting=m).count() == 2,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(API_CASES))
@pytest.mark.parametrize("role", ROLES)
def test_api_writes_are_allowed_or_refused_by_role(case, role, people, network, city, client):
    allowed, target, payload, happened = API_CASES[case]
    meeting = _meeting("thematic", network, city)
    method, url = target(meeting)
    if callable(payload):
        payload = payload(meeting)
    before = state()
    response = getattr(client, method)(
        url, json.dumps(payload), content_type="application/json", headers=api_headers(people[role])
    )
    if role in allowed:
        assert response.status_code in {200, 201, 204}, response.content
        assert happened(meeting)
    else:
        assert response.status_code == (401 if role == "visitor" else 403), response.content
        assert state() == before


def test_a_refused_meeting_form_names_the_field_and_stores_nothing(
    people, network, city, client_as
):
    before = state()
    response = client_as(people["network_coordinator"]).post(
        f"/en/networks/{network.slug}/meetings/new/",
        meeting_form(starts_at="not a date", ends_at=START),
    )
    assert response.status_code == 422
    assert "starts_at" in response.context["form"].errors
    assert state() == before


def test_a_time_the_clocks_skip_is_refused(people, network, client_as):
    response = client_as(people["network_coordinator"]).post(
        f"/en/networks/{network.slug}/meetings/new/",
        meeting_form(starts_at="2031-03-30T02:30", ends_at="2031-03-30T05:00"),
    )
    assert response.status_code == 422
    assert "skip" in str(response.context["form"].errors)


def test_meeting_times_are_typed_in_the_meetings_zone(people, network, client_as):
    client_as(people["network_coordinator"]).post(
        f"/en/networks/{network.slug}/meetings/new/",
        meeting_form(time_zone="Europe/Sofia", starts_at="2031-05-27T09:00"),
    )
    meeting = Meeting.objects.get(title="New meeting")
    assert meeting.starts_at.isoformat() == "2031-05-27T06:00:00+00:00"
    assert meeting.local_starts_at.hour == 9


def test_upload_of_a_file_that_is_not_what_it_says_is_refused(people, meeting, client_as):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_as(people["network_coordinator"]).post(
        f"/en/meetings/{meeting.pk}/documents/", {"title": "Slides", "file": fake}
    )
    assert response.status_code == 422
    assert "file" in response.context["document_form"].errors
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client_as(people["network_coordinator"]).post(
        f"/en/meetings/{meeting.pk}/documents/", {"title": "Tool", "file": exe}
    )
    assert response.status_code == 422
    assert not MeetingDocument.objects.exists()


def test_api_refuses_a_stale_version_with_409(people, meeting, client):
    headers = api_headers(people["network_coordinator"])
    first = client.patch(
        f"/api/v1/meetings/{meeting.pk}", json.dumps({"version": 1, "title": "One"}),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    second = client.patch(
        f"/api/v1/meetings/{meeting.pk}", json.dumps({"version": 1, "title": "Two"}),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert (first.status_code, second.status_code) == (200, 409)
    assert Meeting.objects.get(pk=meeting.pk).title == "One"


def test_api_bad_input_is_422_naming_the_field(people, network, client):
    response = client.post(
        f"/api/v1/networks/{network.slug}/meetings",
        json.dumps({"title": "X", "starts_at": START, "ends_at": END, "time_zone": "Mars/Olympus"}),
        content_type="application/json",
        headers=api_headers(people["network_coordinator"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["time_zone"]
    assert not Meeting.objects.exists()


def test_registrations_api_shows_only_my_own(people, meeting, client):
    mine = RegistrationFactory(meeting=meeting, user=people["lsg_member"])
    RegistrationFactory(meeting=MeetingFactory(), user=people["expert"])
    response = client.get("/api/v1/me/registrations", headers=api_headers(people["lsg_member"]))
    assert [item["meeting"] for item in response.json()["items"]] == [mine.meeting_id]


def test_meeting_ends_after_it_starts_on_api_create(people, network, client):
    response = client.post(
        f"/api/v1/networks/{network.slug}/meetings",
        json.dumps({"title": "X", "starts_at": END, "ends_at": START}),
        content_type="application/json",
        headers=api_headers(people["network_coordinator"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["ends_at"]


def test_organisers_read_registrants_with_needs_through_the_api_others_do_not(
    people, meeting, client
):
    RegistrationFactory(meeting=meeting, needs_consent=True, dietary_needs="vegetarian")
    url = f"/api/v1/meetings/{meeting.pk}/registrations"
    ok = client.get(url, headers=api_headers(people["city_coordinator"]))
    assert ok.json()["items"][0]["dietary_needs"] == "vegetarian"
    assert client.get(url, headers=api_headers(people["lsg_member"])).status_code == 403
