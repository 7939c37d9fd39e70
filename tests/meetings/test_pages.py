"""Public meeting pages, calendars and their query counts (constant in the number of items)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conet.meetings import services
from conet.meetings.models import MeetingDocument
from tests.factories import ActionFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, RegistrationFactory, in_days


def _fill(meeting, n: int) -> None:
    for i in range(n):
        item = AgendaItemFactory(meeting=meeting, starts_at=meeting.starts_at + timedelta(hours=i))
        MeetingDocument.objects.create(
            meeting=meeting,
            agenda_item=item,
            title=f"Doc {i}",
            file="x.pdf",
            content_type="application/pdf",
            size=10,
        )
        MeetingDocument.objects.create(
            meeting=meeting,
            title=f"Paper {i}",
            file="y.pdf",
            content_type="application/pdf",
            size=10,
        )
        RegistrationFactory(meeting=meeting)
        meeting.plan_actions.add(ActionFactory(plan__partnership__network=meeting.network))
    meeting.core_tasks.set(meeting.network.core_tasks.all()[:n])


def test_visitors_read_a_public_meeting_page_with_its_agenda(client, meeting):
    AgendaItemFactory(
        meeting=meeting, title="Future Workshop: critique phase", speakers="Facilitators"
    )
    response = client.get(f"/en/meetings/{meeting.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Future Workshop: critique phase" in content and "Facilitators" in content
    assert "Sign in to register" in content
    assert "Registrations" not in content  # the registrants' list is for the organisers


def test_an_internal_meeting_sends_visitors_to_sign_in_and_refuses_outsiders(
    client_as, people, meeting
):
    meeting.is_public = False
    meeting.save()
    assert client_as(None).get(f"/en/meetings/{meeting.pk}/").status_code == 302
    assert (
        client_as(people["other_city_coordinator"]).get(f"/en/meetings/{meeting.pk}/").status_code
        == 403
    )
    assert client_as(people["lsg_member"]).get(f"/en/meetings/{meeting.pk}/").status_code == 200


def test_organisers_see_needs_and_registrants_see_their_place(client_as, people, meeting):
    person = UserFactory(name="Ioana")
    services.register(meeting, user=person, needs_consent=True, dietary_needs="vegan")
    organiser_page = client_as(people["network_coordinator"]).get(f"/en/meetings/{meeting.pk}/")
    assert "vegan" in organiser_page.content.decode()
    own_page = client_as(person).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "You are registered." in own_page
    other_page = client_as(people["lsg_member"]).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "vegan" not in other_page


def test_register_through_the_page_then_the_waiting_list(client_as, meeting):
    meeting.capacity = 1
    meeting.save()
    first, second = UserFactory(), UserFactory()
    client_as(first).post(f"/en/meetings/{meeting.pk}/register/", {})
    response = client_as(second).post(f"/en/meetings/{meeting.pk}/register/", {}, follow=True)
    assert "you are on the waiting list" in response.content.decode()
    assert "number 1 on the waiting list" in response.content.decode()
    client_as(first).post(f"/en/meetings/{meeting.pk}/unregister/")
    page = client_as(second).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "You are registered." in page


def test_needs_without_consent_are_refused_on_the_page(client_as, meeting):
    person = UserFactory()
    response = client_as(person).post(
        f"/en/meetings/{meeting.pk}/register/", {"dietary_needs": "no pork"}
    )
    assert response.status_code == 422
    assert "needs_consent" in response.context["registration_form"].errors


def test_documents_download_for_who_may_see_the_meeting(
    client_as, people, meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(
        meeting,
        by=people["network_coordinator"],
        title="Slides",
        upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4 hello"),
    )
    response = client_as(None).get(f"/en/meetings/{meeting.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"


@pytest.mark.parametrize("n", [1, 8])
def test_meeting_page_query_count_does_not_grow_with_agenda_documents_and_people(
    n, client_as, people, meeting, django_assert_num_queries
):
    _fill(meeting, n)
    client = client_as(people["network_coordinator"])
    client.get(f"/en/meetings/{meeting.pk}/")  # warm the session and the roles
    # Session, user, roles, the header's unread count, the meeting with its counts and six
    # prefetches, own registration, registrants, the photos: the same fifteen for one agenda item
    # or eight.
    with django_assert_num_queries(15):
        response = client.get(f"/en/meetings/{meeting.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_calendar_query_count_does_not_grow_with_meetings(
    n, client, network, city, django_assert_num_queries
):
    for i in range(n):
        meeting = MeetingFactory(
            network=network, host_city=city, starts_at=in_days(3 + i), ends_at=in_days(3.2 + i)
        )
        RegistrationFactory(meeting=meeting)
    with django_assert_num_queries(3):
        response = client.get(f"/en/networks/{network.slug}/meetings/")
    assert response.status_code == 200
    assert len(response.context["meetings"]) == n


def test_calendar_paginates_and_shows_past_meetings_apart(client, network, city):
    for i in range(25):
        MeetingFactory(
            network=network,
            title=f"Upcoming {i:02d}",
            starts_at=in_days(2 + i),
            ends_at=in_days(2.1 + i),
        )
    MeetingFactory(network=network, title="Long ago", starts_at=in_days(-30), ends_at=in_days(-29))
    first = client.get(f"/en/networks/{network.slug}/meetings/")
    assert len(first.context["meetings"]) == 20
    assert "Long ago" not in first.content.decode()
    second = client.get(f"/en/networks/{network.slug}/meetings/?page=2")
    assert len(second.context["meetings"]) == 5
    past = client.get(f"/en/networks/{network.slug}/meetings/?when=past")
    assert [m.title for m in past.context["meetings"]] == ["Long ago"]


def test_empty_calendar_says_so(client, network):
    assert (
        "No meetings are planned yet."
        in client.get(f"/en/networks/{network.slug}/meetings/").content.decode()
    )


def test_my_meetings_page_shows_my_registrations_and_my_secret_calendar(client_as, meeting):
    person = UserFactory()
    RegistrationFactory(meeting=meeting, user=person)
    page = client_as(person).get("/en/meetings/mine/").content.decode()
    assert meeting.title in page
    assert "/meetings/calendar/" in page


def test_minutes_published_once_write_an_activity_event(people, meeting):
    from conet.core.models import ActivityEvent

    services.update_meeting(
        meeting,
        by=people["network_coordinator"],
        expected_version=1,
        changes={"minutes": "We met."},
    )
    services.update_meeting(
        meeting,
        by=people["network_coordinator"],
        expected_version=2,
        changes={"minutes": "We met twice."},
    )
    assert ActivityEvent.objects.filter(kind="meeting.minutes").count() == 1


def test_outputs_link_plan_actions_and_published_practices(people, meeting, client):
    from django.core.exceptions import ValidationError

    from conet.practices.models import GoodPractice

    def practice(slug, status):
        return GoodPractice.objects.create(
            source_key=slug, slug=slug, name=f"Practice {slug}", city_name="Gijón",
            country="Spain", description="A school that opens to the neighbourhood", status=status,
        )  # fmt: skip

    published, draft = practice("open-school", "published"), practice("secret", "draft")
    action = ActionFactory(plan__partnership__network=meeting.network, title="Neighbourhood school")
    coordinator = people["network_coordinator"]
    services.update_meeting(
        meeting, by=coordinator, expected_version=1,
        changes={"practices": [published], "plan_actions": [action], "outputs": "Two proposals"},
    )  # fmt: skip
    page = client.get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "Practice open-school" in page and "Neighbourhood school" in page
    with pytest.raises(ValidationError):
        services.update_meeting(
            meeting, by=coordinator, expected_version=2, changes={"practices": [draft]}
        )
    foreign = ActionFactory(title="Elsewhere")
    with pytest.raises(ValidationError):
        services.update_meeting(
            meeting, by=coordinator, expected_version=2, changes={"plan_actions": [foreign]}
        )
    assert list(meeting.practices.all()) == [published]


def test_pages_show_the_meetings_local_time_whatever_the_servers_zone(client, network, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Europe/Lisbon"
    sofia = ZoneInfo("Europe/Sofia")
    meeting = MeetingFactory(
        network=network,
        time_zone="Europe/Sofia",
        starts_at=datetime(2031, 10, 27, 9, 0, tzinfo=sofia),
        ends_at=datetime(2031, 10, 27, 17, 0, tzinfo=sofia),
    )
    AgendaItemFactory(meeting=meeting, starts_at=datetime(2031, 10, 27, 9, 30, tzinfo=sofia))
    page = client.get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "9 a.m." in page and "5 p.m." in page and "09:30" in page
    calendar = client.get(f"/en/networks/{network.slug}/meetings/").content.decode()
    assert "9 a.m." in calendar


def test_city_coordinators_find_the_way_to_plan_their_groups_meeting(client_as, people, network):
    page = client_as(people["city_coordinator"]).get(f"/en/networks/{network.slug}/meetings/")
    assert f"/en/networks/{network.slug}/partner-city/group/meetings/new/" in page.content.decode()
    other = client_as(people["other_city_coordinator"]).get(
        f"/en/networks/{network.slug}/meetings/"
    )
    assert "/group/meetings/new/" not in other.content.decode()


def test_editing_an_agenda_item_from_an_old_version_shows_the_conflict(client_as, people, meeting):
    item = AgendaItemFactory(meeting=meeting, title="Welcome")
    url = f"/en/meetings/{meeting.pk}/agenda/{item.pk}/"
    start = meeting.local_starts_at.strftime("%Y-%m-%dT%H:%M")
    data = {"starts_at": start, "ends_at": "", "speakers": "", "description": "", "version": "1"}
    editor = client_as(people["network_coordinator"])
    assert editor.get(url).status_code == 200
    assert editor.post(url, {**data, "title": "First"}).status_code == 302
    response = editor.post(url, {**data, "title": "Second"})
    assert response.status_code == 422
    assert response.context["form"].conflict is not None
    item.refresh_from_db()
    assert item.title == "First"


@pytest.mark.django_db
def test_a_past_meeting_shows_that_it_took_place_not_its_free_seats(client):
    past = MeetingFactory(
        title="Kick-off", starts_at=in_days(-400), capacity=40, minutes="Sixty people came."
    )
    page = client.get(past.get_absolute_url()).content.decode()
    assert "This meeting has taken place." in page
    assert "seats taken" not in page
    assert 'href="#results-heading"' in page
    listing = client.get("/en/meetings/?when=past").content.decode()
    assert "Kick-off" in listing and "seats taken" not in listing


@pytest.mark.django_db
def test_an_upcoming_meeting_still_counts_its_seats(client):
    MeetingFactory(title="Reunion", capacity=40)
    listing = client.get("/en/meetings/").content.decode()
    assert "0 of 40 seats taken" in listing


@pytest.mark.django_db
def test_the_calendar_links_have_no_stray_separators(client):
    import re

    for url in ["/en/meetings/", "/en/meetings/?when=past"]:
        body = client.get(url).content.decode()
        links = re.search(r'<p class="meeting-links">(.*?)</p>', body, re.S).group(1)
        text = re.sub(r"<[^>]+>", "", links).strip()
        assert not text.startswith("·") and not text.endswith("·"), text
        assert "·  ·" not in text
