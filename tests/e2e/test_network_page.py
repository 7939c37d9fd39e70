"""A visitor on the CoNet network page, in a real browser (issue acceptance)."""

import os

import pytest
from playwright.sync_api import expect

from conet.networks.demo import load_demo

pytestmark = pytest.mark.browser

NETWORK_URL = "/en/networks/conet/"


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_visitor_sees_partners_and_map_then_switches_to_italian(demo, page):
    page.goto(NETWORK_URL)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("li.partner")).to_have_count(11)

    partner_map = page.locator("#partner-map")
    expect(partner_map).to_have_attribute("data-ready", "true")
    expect(partner_map.locator(".leaflet-marker-icon")).to_have_count(11)

    switcher = page.locator("footer form.language-switch")
    with page.expect_navigation():
        switcher.get_by_role("button", name="Italiano").click()

    # Back on the same page (set_language follows `next`), now at its Italian address.
    assert page.url.endswith("/it/networks/conet/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(switcher.locator("strong[aria-current]")).to_have_text("Italiano")
    expect(page.locator("#objectives h2")).to_have_text("Obiettivi")
    expect(page.locator("li.partner")).to_have_count(11)
    # The choice sticks: a link without a language leads to the Italian page.
    page.goto("/cities/")
    assert page.url.endswith("/it/cities/")
    expect(page.locator("html")).to_have_attribute("lang", "it")


def test_network_page_fits_a_phone_without_horizontal_scroll(demo, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(NETWORK_URL)
    expect(page.locator("li.partner")).to_have_count(11)
    expect(page.locator("#partner-map")).to_have_attribute("data-ready", "true")
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width > 375 + 1:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 376)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))"""
        )
        pytest.fail(f"page is {scroll_width}px wide on a 375px phone; too wide: {wide}")


def test_tab_from_page_start_focuses_the_skip_link(demo, page):
    page.goto(NETWORK_URL)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class("skip-link")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.skipif(
    os.environ.get("CONET_SCREENSHOT") != "1", reason="set CONET_SCREENSHOT=1 to refresh it"
)
def test_screenshot_of_the_network_page(demo, page, repo_root):
    page.goto(NETWORK_URL)
    expect(page.locator("#partner-map")).to_have_attribute("data-ready", "true")
    target = repo_root / "docs" / "screenshot-network.png"
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
