"""Journey (a) of issue 12: a visitor in Italian, on a 390×844 phone, goes from the home page to the
CoNet network, to Palermo, to its plan, to the Ballarò consultation, and votes three times in place."""

import os

import pytest
from playwright.sync_api import expect

from conet.actionplans.demo import load_actionplans_demo
from conet.consultations.demo import load_consultation_demo
from conet.consultations.models import Participant
from conet.networks.demo import load_demo

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "it-IT",
    "extra_http_headers": {"Accept-Language": "it"},
}


@pytest.fixture
def demo(transactional_db):
    load_demo()
    load_actionplans_demo()
    load_consultation_demo()


def test_visitor_in_italian_reaches_ballaro_and_votes_three_times_without_the_page_jumping(
    demo, new_page
):
    page = new_page(**PHONE)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.locator("main").get_by_role("link", name="CoNet – Cohesion Network").click()
    expect(page.locator("#partners")).to_be_visible()
    page.locator("li.partner").get_by_role("link", name="Palermo", exact=True).click()
    expect(page.locator("h1")).to_have_text("Palermo")
    page.locator("main").get_by_role("link", name="Piano d'Azione Locale").click()
    expect(page.locator("h1")).to_contain_text("Ballarò")
    page.locator("#residents-consultations").get_by_role("link").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "it")

    card = page.locator("#statement")
    agree = card.locator("button.vote-agree")
    # The statement and its three buttons are on the first screen of the phone.
    for button in ("vote-agree", "vote-disagree", "vote-pass"):
        box = card.locator(f"button.{button}").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, f"{button} is below the fold"
    expect(agree).to_have_text("D'accordo")

    # A marker that a full reload would wipe out, and the scroll position, both survive the votes.
    page.evaluate("window.scrollTo(0, 40); window.conetNoReload = 'still here'")
    scroll_before = page.evaluate("window.scrollY")
    seen = []
    for button in ("vote-agree", "vote-disagree", "vote-pass"):
        number = card.get_attribute("data-statement")
        seen.append(number)
        card.locator(f"button.{button}").click()
        expect(card).not_to_have_attribute("data-statement", number)
        # Keyboard and screen-reader users: the next statement is announced, focus stays in it.
        expect(page.locator("#vote-announcer")).to_have_text(
            card.locator(".statement-text").inner_text()
        )
        assert page.evaluate("document.activeElement.closest('#statement') !== null")
    assert page.evaluate("window.conetNoReload") == "still here"
    assert page.evaluate("window.scrollY") == scroll_before
    expect(card.locator(".meta")).to_contain_text("3")
    assert len(set(seen)) == 3
    # The three votes are stored, for this visitor's device, on the three statements shown.
    visitor = Participant.objects.filter(consultation__slug="ballaro").latest("pk")
    stored = dict(visitor.votes.values_list("statement__number", "value"))
    assert stored == {int(seen[0]): 1, int(seen[1]): -1, int(seen[2]): 0}


@pytest.mark.skipif(
    os.environ.get("CONET_SCREENSHOT") != "1", reason="set CONET_SCREENSHOT=1 to refresh them"
)
def test_screenshots_of_voting_and_of_a_plan_on_a_phone(demo, new_page, repo_root):
    page = new_page(**PHONE)
    page.goto("/consultations/ballaro/")
    expect(page.locator("#statement .statement-text")).to_be_visible()
    page.locator("#statement button.vote-agree").click()
    expect(page.locator("#vote-announcer")).not_to_be_empty()
    targets = [repo_root / "docs" / "screenshot-consultation-phone.png"]
    page.screenshot(path=str(targets[0]))
    page.goto("/networks/conet/palermo/plan/")
    targets.append(repo_root / "docs" / "screenshot-plan-phone.png")
    page.screenshot(path=str(targets[1]))
    for target in targets:
        assert 10_000 < target.stat().st_size < 300_000
