"""Residents get the language of the link they were sent, not of their phone: an English phone
(en-GB, 390×844) opens `/it/…` in Italian; the Romanian workshop's board and projector, reached by
the links the facilitator shares, are Romanian; and the phone offers the other languages in one
tap, on the same page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conet.actionplans.demo import load_actionplans_demo
from conet.consultations.demo import load_consultation_demo
from conet.networks.demo import DEMO_PASSWORD, load_demo
from conet.workshops.demo import OPEN_TITLE, load_workshops_demo
from conet.workshops.models import Workshop

pytestmark = pytest.mark.browser

ENGLISH_PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
    "extra_http_headers": {"Accept-Language": "en-GB,en;q=0.9"},
}
SHOTS = "/tmp/i18nurl-shots"


def said_in(language: str, text: str) -> str:
    """The interface string in `language`; it must differ from the English (it is translated)."""
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"not translated into {language}: {text!r}"
    return translated


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    load_actionplans_demo()
    load_consultation_demo()
    load_workshops_demo()


def test_an_italian_link_opens_the_vote_in_italian_on_an_english_phone(demo, new_page):
    page = new_page(**ENGLISH_PHONE)
    page.goto("/it/consultations/ballaro/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("#statement button.vote-agree")).to_have_text(said_in("it", "Agree"))
    disagree = said_in("it", "Disagree")
    expect(page.locator("#statement button.vote-disagree")).to_have_text(disagree)
    page.screenshot(path=f"{SHOTS}/vote-it-390.png", full_page=False)

    # The other languages are one tap away, on the first screen, and lead to the same page.
    row = page.locator("form.language-switch-compact")
    box = row.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
    row.get_by_role("button", name="EN").tap()
    expect(page).to_have_url(re.compile(r"/en/consultations/ballaro/$"))
    expect(page.locator("#statement button.vote-agree")).to_have_text("Agree")
    # The choice is remembered: a link without a language now opens in English.
    page.goto("/consultations/ballaro/")
    expect(page).to_have_url(re.compile(r"/en/consultations/ballaro/$"))


def test_a_page_lists_its_languages_at_its_foot_on_a_wide_screen(demo, new_page):
    page = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page.goto("/it/networks/conet/")
    switch = page.locator("footer form.language-switch")
    expect(switch.locator("strong[aria-current]")).to_have_text("Italiano")
    expect(switch.get_by_role("button")).to_have_count(9)
    switch.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/network-footer-it-1366.png")


def test_the_romanian_workshops_board_and_projector_are_romanian_for_an_english_browser(
    demo, new_page, live_server
):
    workshop = Workshop.objects.get(title=OPEN_TITLE)
    # The facilitator reads the site in English and shares the join link from the set-up page.
    facilitator = new_page(
        viewport={"width": 1366, "height": 900},
        locale="en-GB",
        extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    detail = reverse("workshops:detail", args=[workshop.pk])
    facilitator.goto(f"/en/accounts/login/?next={detail}")
    facilitator.locator("input[name=username]").fill("albaiulia@conet.example")
    facilitator.locator("input[name=password]").fill(DEMO_PASSWORD)
    facilitator.locator("main form [type=submit]").click()
    expect(facilitator.locator("html")).to_have_attribute("lang", "en")
    join_link = facilitator.locator(".projector-join a").first.get_attribute("href")
    assert join_link == f"{live_server.url}/ro/w/{workshop.code}/"

    # The projector, opened from the English set-up page, shows the room's language.
    facilitator.get_by_role("button", name="Projector view").click()
    expect(facilitator.locator("html")).to_have_attribute("lang", "ro")
    expect(facilitator.locator(".projector-join")).to_contain_text(
        said_in("ro", "Join on your phone:")
    )
    facilitator.screenshot(path=f"{SHOTS}/projector-ro-1366.png")

    # A resident's English phone follows the shared link: joining and the board are Romanian.
    phone = new_page(**ENGLISH_PHONE)
    phone.goto(join_link)
    expect(phone.locator("html")).to_have_attribute("lang", "ro")
    phone.get_by_label(said_in("ro", "Your name")).fill("Ioana")
    phone.get_by_role("button", name=said_in("ro", "Join"), exact=True).click()
    expect(phone).to_have_url(re.compile(rf"/ro/w/{workshop.code}/board/$"))
    # The board's own words, set by board.js from the page's strings (this test server has no
    # WebSocket, so the board says it is offline — in Romanian).
    offline = "Offline — your cards are kept and sent when the connection is back"
    expect(phone.locator("#connection")).to_have_text(said_in("ro", offline))
    expect(phone.get_by_role("heading", level=1)).to_have_text(OPEN_TITLE)
    expect(phone.locator("form.language-switch-compact strong")).to_have_text("RO")
    phone.screenshot(path=f"{SHOTS}/board-ro-390.png")
