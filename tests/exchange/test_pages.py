"""The pages: what they show, their filters, and a number of queries that does not grow."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.exchange.models import SupportRequest
from conet.networks.models import CoreTask
from tests.exchange.factories import (
    AvailabilityFactory,
    ExpertInvitationFactory,
    ExpertProfileFactory,
    SupportRequestFactory,
)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _tasks(network):
    return [
        CoreTask.objects.create(network=network, number=n, names={"en": f"Task {n}"})
        for n in (1, 2)
    ]


def test_request_list_queries_do_not_grow_with_the_requests(partnership, people, client_as):
    tasks = _tasks(partnership.network)
    client = client_as(people["expert"])

    def add(count):
        for _ in range(count):
            SupportRequestFactory(partnership=partnership).core_tasks.set(tasks)

    add(2)
    few = _queries(client, reverse("exchange:requests"))
    add(15)
    many = _queries(client, reverse("exchange:requests"))
    assert many == few


def test_request_page_queries_do_not_grow_with_experts_and_invitations(
    support_request, people, client_as
):
    tasks = _tasks(support_request.partnership.network)
    support_request.core_tasks.set(tasks)
    client = client_as(people["network_coordinator"])
    url = reverse("exchange:request", args=[support_request.pk])

    def add(count):
        for _ in range(count):
            profile = ExpertProfileFactory()
            profile.core_tasks.set(tasks)
            AvailabilityFactory(profile=profile)
            ExpertInvitationFactory(request=support_request, expert=profile)

    add(2)
    few = _queries(client, url)
    add(12)
    many = _queries(client, url)
    assert many == few


def test_request_list_shows_open_requests_and_filters_by_status_and_core_task(
    partnership, people, client_as
):
    task = _tasks(partnership.network)[0]
    tagged = SupportRequestFactory(partnership=partnership, title="Tagged request")
    tagged.core_tasks.set([task])
    SupportRequestFactory(partnership=partnership, title="Untagged request")
    SupportRequestFactory(partnership=partnership, title="Closed request", status="closed")
    client = client_as(people["other_city_coordinator"])
    page = client.get(reverse("exchange:requests")).content.decode()
    assert "Tagged request" in page and "Untagged request" in page
    assert "Closed request" not in page
    page = client.get(reverse("exchange:requests"), {"core_task": 1}).content.decode()
    assert "Tagged request" in page and "Untagged request" not in page
    page = client.get(reverse("exchange:requests"), {"status": "closed"}).content.decode()
    assert "Closed request" in page and "Tagged request" not in page


def test_request_list_paginates(partnership, people, client_as):
    for n in range(25):
        SupportRequestFactory(partnership=partnership, title=f"Request number {n:02d}")
    client = client_as(people["expert"])
    first = client.get(reverse("exchange:requests")).content.decode()
    second = client.get(reverse("exchange:requests"), {"page": 2}).content.decode()
    assert first.count("Request number") == 20
    assert second.count("Request number") == 5


def test_visitors_are_sent_to_sign_in(support_request, client):
    response = client.get(reverse("exchange:request", args=[support_request.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_coordinator_sees_matches_with_their_reasons_others_do_not(
    support_request, expert_profile, people, client_as
):
    url = reverse("exchange:request", args=[support_request.pk])
    page = client_as(people["network_coordinator"]).get(url).content.decode()
    assert expert_profile.user.name in page
    assert "languages" in page and "availability" in page
    assert f"Invite {expert_profile.user.name}" in page
    page = client_as(people["lsg_member"]).get(url).content.decode()
    assert "Invite " not in page


def test_the_invited_expert_sees_accept_and_decline(invitation, people, client_as):
    url = reverse("exchange:request", args=[invitation.request_id])
    page = client_as(people["expert"]).get(url).content.decode()
    assert "Your invitation" in page and "Accept" in page and "Decline" in page


def test_a_bad_request_form_names_the_field_and_keeps_nothing(partnership, people, client_as):
    response = client_as(people["city_coordinator"]).post(
        reverse("exchange:request_create"),
        {"partnership": partnership.pk, "title": "", "languages": "klingon"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "title" in form.errors and "languages" in form.errors
    assert SupportRequest.objects.count() == 0


def test_the_visit_page_shows_the_follow_up_of_the_receiving_citys_actions(
    visit, people, client_as
):
    from conet.exchange import services
    from tests.factories import ActionFactory, LocalActionPlanFactory

    action = ActionFactory(
        plan=LocalActionPlanFactory(partnership=visit.request.partnership),
        title="Neighbourhood table",
        status="running",
        progress=60,
    )
    services.file_report(
        visit,
        by=people["city_coordinator"],
        side="host",
        understood="How to chair it",
        items=[(action, "adapt", "Monthly table with residents")],
    )
    page = client_as(people["expert"]).get(reverse("exchange:visit", args=[visit.pk]))
    text = page.content.decode()
    assert "Monthly table with residents" in text
    assert "Neighbourhood table" in text and "60 %" in text and "running" in text


def test_editing_a_request_from_a_stale_page_shows_the_other_change(
    support_request, people, client_as
):
    client = client_as(people["city_coordinator"])
    url = reverse("exchange:request_edit", args=[support_request.pk])
    data = {
        "version": support_request.version,
        "title": "Mine",
        "project": support_request.project,
        "problem": support_request.problem,
        "know_how": support_request.know_how,
        "languages": "en",
        "language": "en",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Theirs, from an old page"})
    assert response.status_code == 422
    assert response.context["form"].conflict is not None
    assert SupportRequest.objects.get(pk=support_request.pk).title == "Mine"


def test_the_dashboard_shows_the_citys_open_support_request(client_as, people, support_request):
    body = client_as(people["city_coordinator"]).get("/en/dashboard/").content.decode()
    assert support_request.get_absolute_url() in body
    assert "Nothing needs your attention" not in body


def test_the_dashboard_shows_an_invitation_waiting_for_the_experts_answer(
    client_as, people, support_request, expert_profile
):
    ExpertInvitationFactory(request=support_request, expert=expert_profile)
    body = client_as(people["expert"]).get("/en/dashboard/").content.decode()
    assert "invites you to help with" in body
    assert support_request.get_absolute_url() in body


def test_a_closed_request_needs_nobodys_attention(client_as, people, support_request):
    SupportRequest.objects.filter(pk=support_request.pk).update(status="closed")
    body = client_as(people["city_coordinator"]).get("/en/dashboard/").content.decode()
    assert support_request.get_absolute_url() not in body
    assert "Nothing needs your attention" in body
