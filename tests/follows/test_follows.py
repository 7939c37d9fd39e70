"""Follow by e-mail without an account: double opt-in through a signed link (nothing stored before
the person confirms), leaving by the link in every mail, and a digest that sends each public event
once, in the language the person followed in."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conet.accounts.personal_data import export_archive
from conet.core.activity import record_activity
from conet.core.models import BlockedClient
from conet.follows import selectors, services
from conet.follows.models import Follow
from conet.follows.selectors import Target
from conet.networks.selectors import city_page
from tests.factories import CityFactory, NetworkFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/follow/(?:confirm|leave)/\S+/")


@pytest.fixture(autouse=True)
def _settled_at_once(settings):
    settings.CONET_FOLLOW_DIGEST_SETTLE_SECONDS = 0
    settings.CONET_SITE_URL = "https://conet.example"


@pytest.fixture
def ballaro(network, city):
    partnership = city.partnerships.get(network=network)
    partnership.focus_area_name = "Ballarò"
    partnership.save()
    return partnership


def _url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _ask(client, email: str, target_key: str, language: str = "it"):
    return client.post(
        _url("follows:follow", language=language),
        {"email": email, "target": target_key},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _path(link: str) -> str:
    return link.removeprefix("https://conet.example")


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _confirm(client, email="rosa@example.org", key=None, language="it", *, target):
    _ask(client, email, key or Target("focus_area", target).key, language)
    link = _links(mail.outbox[-1])[0]
    return client.post(_path(link), HTTP_ACCEPT_LANGUAGE=language)


def test_asking_to_follow_mails_a_link_in_the_visitors_language_and_stores_nothing(client, ballaro):
    response = _ask(client, "Rosa@Example.org", Target("focus_area", ballaro).key, "it")
    assert response.status_code == 302
    with translation.override("it"):
        assert response["Location"].endswith(ballaro.city.get_absolute_url() + "#follow")
    assert not Follow.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert message.subject == "Conferma che vuoi seguire Ballarò a Partner City"
    assert "non abbiamo salvato il tuo indirizzo" in message.body
    assert len(_links(message)) == 1


def test_opening_the_link_asks_before_it_stores_and_the_button_confirms(client, ballaro):
    _ask(client, "rosa@example.org", Target("focus_area", ballaro).key, "it")
    link = _path(_links(mail.outbox[0])[0])
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200 and "Sì, voglio seguire" in page.content.decode()
    assert not Follow.objects.exists()  # a link scanner opening the mail confirms nothing

    confirmed = client.post(link, HTTP_ACCEPT_LANGUAGE="it")
    assert confirmed.status_code == 200
    follow = Follow.objects.get()
    assert (follow.email, follow.kind, follow.partnership, follow.language) == (
        "rosa@example.org",
        "focus_area",
        ballaro,
        "it",
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        lambda token: signing.dumps(
            {"email": "x@example.org", "target": "city:1", "language": "it"}, salt="other"
        ),
        lambda token: "not-a-token",
    ],
    ids=["altered", "signed-for-something-else", "garbage"],
)
def test_a_forged_confirmation_link_is_refused_calmly_and_stores_nothing(client, ballaro, tamper):
    token = services.confirmation_token("rosa@example.org", Target("focus_area", ballaro), "it")
    url = _url("follows:confirm", tamper(token), language="it")
    for method in (client.get, client.post):
        response = method(url, HTTP_ACCEPT_LANGUAGE="it")
        assert response.status_code == 400
        assert "Questo link non funziona" in response.content.decode()
    assert not Follow.objects.exists()


def test_an_expired_confirmation_link_is_refused_and_stores_nothing(
    client, ballaro, settings, monkeypatch
):
    settings.CONET_FOLLOW_CONFIRM_DAYS = 7
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = services.confirmation_token("rosa@example.org", Target("focus_area", ballaro), "it")
    monkeypatch.undo()
    response = client.post(_url("follows:confirm", token, language="it"), HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 410
    assert "Questo link è scaduto" in response.content.decode()
    assert not Follow.objects.exists()


def test_following_the_same_thing_twice_with_the_same_address_keeps_one_follow(client, ballaro):
    _confirm(client, "rosa@example.org", target=ballaro)
    first = Follow.objects.get()
    _confirm(client, "ROSA@example.org ", target=ballaro)
    assert list(Follow.objects.all()) == [first]
    # The same link confirmed again changes nothing either.
    again = services.confirm_follow(
        "rosa@example.org", Target("focus_area", ballaro), language="de"
    )
    assert again == (first, False)
    assert Follow.objects.get().language == "it"


def test_a_city_a_focus_area_and_a_network_are_three_follows(client, ballaro, network, city):
    _confirm(client, key=Target("focus_area", ballaro).key, target=ballaro)
    _confirm(client, key=Target("city", city).key, target=ballaro)
    _confirm(client, key=Target("network", network).key, target=ballaro)
    assert sorted(Follow.objects.values_list("kind", flat=True)) == [
        "city",
        "focus_area",
        "network",
    ]


def test_an_unknown_target_or_a_bad_address_is_refused_with_a_message_and_nothing_sent(
    client, ballaro
):
    response = _ask(client, "rosa@example.org", "city:999999", "it")
    assert response.status_code == 422
    assert "Non è più possibile seguirlo." in response.content.decode()
    response = _ask(client, "not an address", Target("focus_area", ballaro).key, "it")
    assert response.status_code == 422
    assert "Inserisci un indirizzo email valido." in response.content.decode()
    assert mail.outbox == [] and not Follow.objects.exists()


def test_the_form_is_limited_per_email_address(client, ballaro, settings):
    settings.CONET_FOLLOW_REQUESTS_PER_EMAIL_DAY = 2
    key = Target("focus_area", ballaro).key
    assert _ask(client, "rosa@example.org", key).status_code == 302
    assert _ask(client, "rosa@example.org", key).status_code == 302
    refused = _ask(client, "Rosa@example.org", key)
    assert refused.status_code == 429
    assert "Troppe richieste" in refused.content.decode()
    assert len(mail.outbox) == 2
    assert _ask(client, "giuseppe@example.org", key).status_code == 302


def test_the_form_is_limited_per_client_address(client, ballaro, settings):
    settings.CONET_FOLLOW_REQUESTS_PER_ADDRESS_HOUR = 2
    key = Target("focus_area", ballaro).key
    statuses = [_ask(client, f"person{n}@example.org", key).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_a_bot_filling_the_hidden_field_is_refused_and_nobody_is_mailed(client, ballaro):
    response = client.post(
        _url("follows:follow"),
        {
            "email": "victim@example.org",
            "target": Target("focus_area", ballaro).key,
            "homepage": "x",
        },
    )
    assert response.status_code == 403
    assert BlockedClient.objects.exists()
    assert mail.outbox == []


def _unsubscribe_link(follow) -> str:
    return _path(services.unsubscribe_url(follow))


def test_leaving_deletes_the_follow_and_a_second_click_says_it_is_done(client, ballaro):
    _confirm(client, target=ballaro)
    link = _unsubscribe_link(Follow.objects.get())
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200 and Follow.objects.exists()  # opening asks; it does not act
    assert "Smettere di seguire Ballarò a Partner City?" in page.content.decode()
    done = client.post(link, HTTP_ACCEPT_LANGUAGE="it")
    assert done.status_code == 200 and not Follow.objects.exists()
    assert "Non segui più Ballarò a Partner City" in done.content.decode()
    again = client.post(link, HTTP_ACCEPT_LANGUAGE="it")
    assert again.status_code == 200 and "Non lo segui più" in again.content.decode()
    assert client.get(link).status_code == 200


def test_a_mail_clients_one_click_unsubscribe_needs_no_csrf_token(ballaro):
    from django.test import Client

    follow = services.confirm_follow(
        "rosa@example.org", Target("city", ballaro.city), language="it"
    )[0]
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_unsubscribe_link(follow), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and not Follow.objects.exists()


def test_a_forged_unsubscribe_link_removes_nobody(client, ballaro):
    follow = services.confirm_follow(
        "rosa@example.org", Target("city", ballaro.city), language="it"
    )[0]
    assert str(follow.email) not in services.unsubscribe_url(follow)
    forged = [
        signing.dumps(follow.pk, salt="somewhere else"),
        services.unsubscribe_token(follow)[:-2] + "xx",
        signing.dumps(str(follow.pk), salt=services._UNSUBSCRIBE_SALT),
    ]
    for token in forged:
        response = client.post(
            _url("follows:unsubscribe", token, language="it"), HTTP_ACCEPT_LANGUAGE="it"
        )
        assert response.status_code == 400
        assert "Questo link non funziona" in response.content.decode()
    assert Follow.objects.filter(pk=follow.pk).exists()


# The digest -------------------------------------------------------------------------------------


def _event(scope, city_name="", public=True, **data):
    if city_name:
        data["city"] = city_name
    return record_activity(
        kind="update", scope=scope, text=data.pop("text", "news"), data=data, public=public
    )


def test_nothing_before_the_confirmation_is_sent(client, ballaro, network):
    _event(network, "Partner City", text="old news")
    _confirm(client, target=ballaro)
    mail.outbox.clear()
    assert services.send_digests() == 0 and mail.outbox == []


def test_the_digest_sends_what_is_public_about_the_area_once_in_the_followers_language(
    client, ballaro, network, city
):
    _confirm(client, target=ballaro)
    mail.outbox.clear()
    elsewhere = CityFactory(name="Alba Iulia")
    PartnershipFactory(network=network, city=elsewhere)
    _event(network, "Partner City", text="The square opens")
    _event(city, text="Monitoring values for 2025")
    _event(network, "Partner City", public=False, text="Draft for members")
    _event(network, "Alba Iulia", text="Lumea Nouă")
    _event(NetworkFactory(), "Partner City", text="Another network's news")

    assert services.send_digests() == 1
    (digest,) = mail.outbox
    assert digest.subject == "Ballarò a Partner City: 2 nuovi eventi"
    assert "The square opens" in digest.body and "Monitoring values for 2025" in digest.body
    for hidden in ("Draft for members", "Lumea Nouă", "Another network"):
        assert hidden not in digest.body
    leave = _links(digest)[-1]
    assert digest.extra_headers["List-Unsubscribe"] == f"<{leave}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Per smettere" in digest.body

    assert services.send_digests() == 0
    _event(city, text="A third thing")
    assert services.send_digests() == 1
    assert (
        "A third thing" in mail.outbox[-1].body and "The square opens" not in mail.outbox[-1].body
    )


def test_a_run_that_read_the_cursor_before_another_run_moved_it_sends_nothing(
    client, ballaro, city
):
    _confirm(client, target=ballaro)
    mail.outbox.clear()
    _event(city, text="News")
    stale = Follow.objects.get()
    events = selectors.new_events_for(stale, created_before=timezone.now() + timedelta(1), limit=50)
    assert services.send_digests() == 1
    assert services._mail_digest(stale, events, now=timezone.now()) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_keeps_the_events_for_the_next_run(client, ballaro, city, monkeypatch):
    _confirm(client, target=ballaro)
    mail.outbox.clear()
    _event(city, text="News")

    def fail(self, fail_silently=False):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with pytest.raises(ConnectionRefusedError):
        services.send_digests()
    monkeypatch.undo()
    assert services.send_digests() == 1 and "News" in mail.outbox[0].body


def test_events_younger_than_the_settling_time_wait_for_the_next_run(
    client, ballaro, city, settings
):
    _confirm(client, target=ballaro)
    mail.outbox.clear()
    settings.CONET_FOLLOW_DIGEST_SETTLE_SECONDS = 120
    _event(city, text="Just now")
    assert services.send_digests() == 0
    assert services.send_digests(now=timezone.now() + timedelta(minutes=3)) == 1


def test_a_network_follower_hears_of_the_network_and_a_city_follower_of_all_its_networks(
    client, ballaro, network, city
):
    services.confirm_follow("n@example.org", Target("network", network), language="en")
    services.confirm_follow("c@example.org", Target("city", city), language="en")
    second = NetworkFactory(name="Second")
    PartnershipFactory(network=second, city=city)
    _event(network, text="Network meeting")
    _event(second, "Partner City", text="Joined the second network")
    assert services.send_digests() == 2
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "Network meeting" in by_address["n@example.org"]
    assert "Joined the second network" not in by_address["n@example.org"]
    assert "Joined the second network" in by_address["c@example.org"]
    assert "Network meeting" not in by_address["c@example.org"]


# The pages -------------------------------------------------------------------------------------


def test_the_city_page_offers_the_city_and_each_focus_area_and_the_network_page_the_network(
    client, ballaro, network, city
):
    with translation.override("it"):
        page = client.get(reverse("networks:city", args=[city.slug]), HTTP_ACCEPT_LANGUAGE="it")
    html = page.content.decode()
    assert f'value="city:{city.pk}"' in html and f'value="focus_area:{ballaro.pk}"' in html
    assert "Segui via e-mail" in html
    with translation.override("it"):
        page = client.get(
            reverse("networks:network", args=[network.slug]), HTTP_ACCEPT_LANGUAGE="it"
        )
    assert f'value="network:{network.pk}"' in page.content.decode()


def test_the_follow_form_costs_the_city_page_no_query(ballaro, city, network):
    for n in range(3):
        PartnershipFactory(city=city, focus_area_name=f"Area {n}")
    prefetched = city_page(city.slug)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("follows/_follow_form.html", {"city": prefetched})
    assert len(queries) == 0
    assert html.count('type="radio"') == 5


def test_the_city_page_costs_the_same_queries_however_many_focus_areas(client, city):
    url = reverse("networks:city", args=[city.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(4):
        PartnershipFactory(city=city, focus_area_name=f"Area {n}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# Personal data ---------------------------------------------------------------------------------


def test_an_account_at_the_same_address_exports_and_erases_its_follows(ballaro):
    import io
    import json
    import zipfile

    from conet.accounts.personal_data import erase_parts

    user = UserFactory(email="rosa@example.org")
    services.confirm_follow("Rosa@Example.org", Target("focus_area", ballaro), language="it")
    services.confirm_follow("other@example.org", Target("focus_area", ballaro), language="it")
    archive = zipfile.ZipFile(io.BytesIO(export_archive(user)))
    (row,) = json.loads(archive.read("follows.json"))
    assert row["email"] == "rosa@example.org" and row["partnership_id"] == ballaro.pk
    erase_parts(user)
    assert list(Follow.objects.values_list("email", flat=True)) == ["other@example.org"]


def test_a_coordinator_sees_the_update_and_follow_forms_with_unique_ids(client_as, people, network):
    client = client_as(people["network_coordinator"])
    html = client.get(reverse("networks:network", args=[network.slug])).content.decode()
    assert html.count('name="homepage"') == 2
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_a_mail_server_that_fails_gets_a_calm_message_and_nothing_is_stored(
    client, ballaro, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = _ask(client, "rosa@example.org", Target("focus_area", ballaro).key, "it")
    assert response.status_code == 503
    assert "Non siamo riusciti a inviare" in response.content.decode()
    assert not Follow.objects.exists()
