"""The notification list, marking read, the header count, the preference and the API (own only)."""

import json

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from conet.notifications.models import Notification, NotificationPreference
from conet.notifications.services import notify
from tests.factories import UserFactory, api_headers

pytestmark = pytest.mark.django_db


def _some(user, n=1):
    for i in range(n):
        notify([user], "message", {"text": f"Hello {i}"}, url="/en/meetings/")


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/en/notifications/")
    assert response.status_code == 302 and "/login" in response.url


def test_list_shows_only_my_notifications_newest_first_and_paginates(client):
    me, other = UserFactory(), UserFactory()
    _some(me, 30)
    _some(other)
    client.force_login(me)
    response = client.get("/en/notifications/")
    assert response.status_code == 200
    assert len(response.context["notifications"]) == 25
    assert response.context["unread"] == 30
    assert client.get("/en/notifications/?page=2").context["notifications"].__len__() == 5


def test_list_query_count_does_not_grow(client, django_assert_num_queries):
    me = UserFactory()
    _some(me, 25)
    client.force_login(me)
    client.get("/en/notifications/")
    # session, user, count, page, unread count, preference
    with django_assert_num_queries(6):
        client.get("/en/notifications/")


def test_empty_list_says_what_will_appear(client):
    client.force_login(UserFactory())
    assert "No notifications yet" in client.get("/en/notifications/").content.decode()


def test_mark_one_and_all_read(client):
    me = UserFactory()
    _some(me, 3)
    client.force_login(me)
    first = Notification.objects.filter(recipient=me).first()
    client.post("/en/notifications/read/", {"id": first.pk})
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 2
    client.post("/en/notifications/read/")
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    me = UserFactory()
    _some(me)
    client.force_login(me)
    notification = Notification.objects.get()
    response = client.get(f"/en/notifications/{notification.pk}/")
    assert response.status_code == 302 and response.url == "/en/meetings/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened_or_marked(client):
    owner, snoop = UserFactory(), UserFactory()
    _some(owner)
    notification = Notification.objects.get()
    client.force_login(snoop)
    client.get(f"/en/notifications/{notification.pk}/")
    client.post("/en/notifications/read/", {"id": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_preference_is_saved_and_a_bad_one_named(client):
    me = UserFactory()
    client.force_login(me)
    client.post("/en/notifications/preferences/", {"email": "off"})
    assert NotificationPreference.objects.get(user=me).email == "off"
    response = client.post("/en/notifications/preferences/", {"email": "hourly"})
    assert response.status_code == 422
    assert "email" in response.context["form"].errors


def test_header_link_shows_the_unread_count():
    me = UserFactory()
    _some(me, 4)
    request = RequestFactory().get("/en/")
    request.user = me
    html = Template("{% load notifications %}{% notifications_link %}").render(
        Context({"request": request})
    )
    assert "/en/notifications/" in html and ">4<" in html


def test_api_lists_marks_and_counts_my_own(client):
    me, other = UserFactory(), UserFactory()
    _some(me, 2)
    _some(other, 1)
    headers = api_headers(me)
    listed = client.get("/api/v1/notifications", headers=headers).json()
    assert listed["count"] == 2
    assert {item["sentence"] for item in listed["items"]} == {"Hello 0", "Hello 1"}
    others = Notification.objects.get(recipient=other)
    response = client.post(
        "/api/v1/notifications/read",
        json.dumps({"ids": [others.pk, listed["items"][0]["id"]]}),
        content_type="application/json",
        headers=headers,
    )
    assert response.json() == {"unread": 1}
    others.refresh_from_db()
    assert others.read_at is None
    assert client.get("/api/v1/notifications/unread-count", headers=headers).json() == {"unread": 1}


def test_api_needs_a_caller_and_validates_the_preference(client):
    assert client.get("/api/v1/notifications").status_code == 401
    headers = api_headers(UserFactory())
    response = client.put(
        "/api/v1/notifications/preferences",
        json.dumps({"email": "hourly"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["email"]
    ok = client.put(
        "/api/v1/notifications/preferences",
        json.dumps({"email": "immediate"}),
        content_type="application/json",
        headers=headers,
    )
    assert ok.json() == {"email": "immediate"}


def test_send_digests_command(capsys):
    _some(UserFactory(), 2)
    call_command("send_digests")
    assert "1 digest e-mails sent" in capsys.readouterr().out
