"""The demo's eleven thematic meetings, the search document and the activity feed entries."""

from conet.meetings.demo import MEETINGS, load_meetings_demo
from conet.meetings.models import AgendaItem, Meeting
from conet.meetings.search import meeting_document
from conet.networks.demo import load_demo
from conet.search.registry import get
from tests.meetings.factories import MeetingFactory


def test_demo_loads_the_eleven_thematic_meetings_once(db, client):
    from conet.actionplans.demo import load_actionplans_demo

    load_demo()
    load_actionplans_demo()
    assert load_meetings_demo() == {"meetings": 11, "upcoming": 2}
    assert (
        Meeting.objects.filter(network__slug="conet", starts_at__year__lt=2012).count()
        == len(MEETINGS)
        == 11
    )
    hosts = set(Meeting.objects.values_list("host_city__slug", flat=True))
    assert len(hosts) == 11
    alba = Meeting.objects.get(host_city__slug="alba-iulia")
    assert alba.local_starts_at.date().isoformat() == "2010-05-27"
    assert alba.local_ends_at.date().isoformat() == "2010-05-28"
    assert alba.time_zone == "Europe/Bucharest"
    assert alba.agenda_items.filter(title__contains="Critique phase").exists()
    assert "Future Workshop" in alba.title
    palermo = Meeting.objects.get(host_city__slug="palermo", starts_at__year=2011)
    assert palermo.plan_actions.exists()
    assert all(a.plan.partnership.city.slug == "palermo" for a in palermo.plan_actions.all())
    agenda_count = AgendaItem.objects.count()
    assert load_meetings_demo() == {"meetings": 0, "upcoming": 0}
    assert AgendaItem.objects.count() == agenda_count
    page = client.get(f"/en/meetings/{alba.pk}/").content.decode()
    assert "Lumea Nouă" in page
    past = client.get("/en/networks/conet/meetings/?when=past")
    assert len(past.context["meetings"]) == 11


def test_demo_has_upcoming_meetings_open_for_registration_whenever_it_runs(db, client):
    from datetime import timedelta

    from django.utils import timezone

    load_demo()
    load_meetings_demo()
    upcoming = client.get("/en/meetings/").context["meetings"]
    assert len(upcoming) == 2
    assert all(m.registration_open and m.capacity and not m.is_past for m in upcoming)
    # Run again later, when they have passed: they move ahead again, and nothing is duplicated.
    long_ago = timezone.now() - timedelta(days=400)
    Meeting.objects.filter(pk__in=[m.pk for m in upcoming]).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(hours=4)
    )
    assert load_meetings_demo() == {"meetings": 0, "upcoming": 0}
    again = client.get("/en/meetings/").context["meetings"]
    assert sorted(m.pk for m in again) == sorted(m.pk for m in upcoming)


def test_meetings_are_registered_with_search_and_only_public_ones_are_documents(db):
    assert get("meeting").model is Meeting
    public = MeetingFactory(title="Open meeting", is_public=True)
    document = meeting_document(public)
    assert document.title == "Open meeting" and document.url == f"/en/meetings/{public.pk}/"
    assert meeting_document(MeetingFactory(is_public=False)) is None
    assert meeting_document(MeetingFactory(status="cancelled")) is None


def test_planning_a_meeting_writes_to_the_networks_activity_feed(db, people, network, city):
    from conet.core.activity import describe, events_for
    from conet.meetings import services
    from tests.meetings.factories import in_days

    services.create_meeting(
        network,
        by=people["network_coordinator"],
        title="Sofia meeting",
        host_city=city,
        starts_at=in_days(5),
        ends_at=in_days(5.3),
        time_zone="Europe/Sofia",
    )
    [event] = events_for([network])
    assert event.kind == "meeting.scheduled"
    assert describe(event).startswith("Sofia meeting is planned in Partner City on ")


def test_a_cancelled_meeting_leaves_the_search_index(db, django_capture_on_commit_callbacks):
    from conet.meetings import services
    from conet.search.models import SearchDocument
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(title="Findable meeting", is_public=True)
    assert SearchDocument.objects.filter(kind="meeting", object_id=meeting.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, by=UserFactory(is_staff=True))
    assert not SearchDocument.objects.filter(kind="meeting", object_id=meeting.pk).exists()
