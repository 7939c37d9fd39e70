"""A resident follows Ballarò by e-mail on Palermo's city page, without an account: the confirmation
link arrives (Django's locmem e-mail backend), the next public event about Ballarò arrives in the
digest, and the digest's unsubscribe link works — no digest after it. In Italian, at 390 and 1366 px,
with axe-core on each page the resident sees."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from conet.core.activity import record_activity
from conet.follows.models import Follow
from conet.follows.tasks import send_follow_digests
from conet.networks import services as network_services
from tests.e2e.test_accessibility import _check
from tests.factories import CityFactory, MembershipFactory, NetworkFactory, PartnershipFactory

pytestmark = pytest.mark.browser

ITALIAN = {"extra_http_headers": {"Accept-Language": "it"}}
LINK = re.compile(r"https?://\S+/follow/(?:confirm|leave)/\S+/")


@pytest.fixture
def palermo(transactional_db, settings, live_server):
    settings.CONET_SITE_URL = live_server.url
    settings.CONET_FOLLOW_DIGEST_SETTLE_SECONDS = 0
    network = NetworkFactory(name="CoNet", slug="conet")
    city = CityFactory(name="Palermo", slug="palermo", country="IT", languages="it")
    partnership = PartnershipFactory(
        network=network,
        city=city,
        focus_area_name="Ballarò",
        focus_area_description="Il quartiere storico intorno al mercato.",
    )
    PartnershipFactory(network=NetworkFactory(name="Altra rete"), city=city)
    return partnership


def _run_digest() -> int:
    # The periodic task's own function, run here rather than by the huey scheduler.
    return send_follow_digests.call_local()


def test_a_resident_follows_ballaro_confirms_gets_the_digest_and_leaves(palermo, new_page):
    # axe-core is injected as an inline script.
    page = new_page(viewport={"width": 390, "height": 844}, bypass_csp=True, **ITALIAN)
    with translation.override("it"):
        city_url = reverse("networks:city", args=["palermo"])
    page.goto(city_url)
    form = page.locator("#follow")
    form.get_by_label("L'area di intervento Ballarò (CoNet)").check()
    form.get_by_label("Il tuo indirizzo e-mail").fill("rosa@example.org")
    form.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/follow-form-it-390.png", full_page=False)
    assert _check(page, city_url) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#follow").screenshot(path="/tmp/follow-form-it-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(city_url)
    page.locator("#follow").get_by_label("L'area di intervento Ballarò (CoNet)").check()
    page.locator("#follow").get_by_label("Il tuo indirizzo e-mail").fill("rosa@example.org")
    page.locator("#follow").get_by_role("button", name="Segui").click()

    page.wait_for_selector(".message-success")
    assert "abbiamo inviato un link a rosa@example.org" in page.inner_text(".message-success")
    assert not Follow.objects.exists()
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Conferma che vuoi seguire Ballarò a Palermo"

    page.goto(LINK.search(confirmation.body).group(0))
    assert page.inner_text("h1") == "Segui Ballarò a Palermo"
    assert _check(page, page.url) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="/tmp/follow-confirm-it-1366.png", full_page=True)
    page.get_by_role("button", name="Sì, voglio seguire").click()
    assert page.inner_text("h1") == "Stai seguendo Ballarò a Palermo"
    page.screenshot(path="/tmp/follow-confirmed-it-1366.png", full_page=True)
    follow = Follow.objects.get()
    assert (follow.email, follow.partnership, follow.language) == (
        "rosa@example.org",
        palermo,
        "it",
    )

    # The next public event on Ballarò: the network coordinator updates Palermo's partnership.
    coordinator = MembershipFactory(role="network_coordinator", network=palermo.network).user
    network_services.update_partnership(
        palermo,
        by=coordinator,
        expected_version=palermo.version,
        changes={"focus_area_description": "Il mercato e le sue strade, con i residenti."},
    )
    record_activity(
        kind="update", scope=palermo.network, data={"city": "Alba Iulia"}, text="Altrove"
    )
    mail.outbox.clear()
    assert _run_digest() == 1
    (digest,) = mail.outbox
    with open("/tmp/follow-digest-it.txt", "w") as handle:  # to read it, as the resident would
        handle.write(f"Subject: {digest.subject}\n{digest.extra_headers}\n\n{digest.body}")
    assert digest.to == ["rosa@example.org"]
    assert digest.subject == "Ballarò a Palermo: 1 nuovo evento"
    assert "Palermo" in digest.body and "Altrove" not in digest.body
    leave = LINK.findall(digest.body)[-1]
    assert digest.extra_headers["List-Unsubscribe"] == f"<{leave}>"
    assert _run_digest() == 0  # never the same event twice

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(leave)
    assert page.inner_text("h1") == "Smettere di seguire Ballarò a Palermo?"
    assert _check(page, page.url) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/follow-leave-it-390.png", full_page=True)
    page.get_by_role("button", name="Smetti di seguire").click()
    assert page.inner_text("h1") == "Non segui più Ballarò a Palermo"
    assert not Follow.objects.exists()

    record_activity(kind="update", scope=palermo.city, text="Nuovi dati di monitoraggio")
    mail.outbox.clear()
    assert _run_digest() == 0 and mail.outbox == []
