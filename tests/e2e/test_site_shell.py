"""The frame of every page on a phone and on a computer: the header's menu, wide tables, the 404.

At 390×844 in Italian, as a resident would see it."""

import re

import pytest
from playwright.sync_api import expect

from conet.networks.demo import load_demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ITALIAN = {"extra_http_headers": {"Accept-Language": "it"}}


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_on_a_phone_the_header_is_one_row_with_a_menu_that_the_keyboard_opens_and_closes(
    demo, new_page
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, **ITALIAN)
    page.goto("/networks/conet/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] < 100  # one row, not 260–323 px
    menu_button = header.get_by_text("Menu", exact=True)
    cities = header.get_by_role("link", name="Città")
    expect(menu_button).to_be_visible()
    expect(cities).to_be_hidden()

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(cities).to_be_visible()
    assert cities.bounding_box()["y"] >= header.bounding_box()["height"] - 1  # drops below
    page.keyboard.press("Escape")
    expect(cities).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    # Tabbing out of the open menu, or tapping the page, closes it.
    page.keyboard.press("Enter")
    expect(cities).to_be_visible()
    last = header.locator(".site-menu li").last.locator("a, button")
    last.focus()
    page.keyboard.press("Tab")
    expect(cities).to_be_hidden()
    menu_button.click()
    page.mouse.click(200, 800)  # on the page, below the open menu
    expect(cities).to_be_hidden()
    assert page.url.endswith("/networks/conet/")

    menu_button.click()  # open again, and follow a link
    cities.click()
    expect(page.locator("h1")).to_have_text("Città")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_menu_works_without_javascript(demo, new_page):
    page = new_page(viewport=PHONE, java_script_enabled=False, **ITALIAN)
    page.goto("/")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="Cerca")).to_be_hidden()
    header.get_by_text("Menu", exact=True).click()
    expect(header.get_by_role("link", name="Cerca")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_computer_the_links_are_in_one_row_without_a_menu_button(demo, new_page, javascript):
    page = new_page(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript)
    page.goto("/")
    header = page.locator("header.site-header")
    expect(header.get_by_text("Menu", exact=True)).to_be_hidden()
    links = header.locator(".site-menu a")
    expect(links.first).to_be_visible()
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1
    # Screen readers find the links too (a closed <details> would hide them from them).
    assert header.get_by_role("link", name="Search").count() == 1


def test_a_wide_table_on_a_phone_says_so_and_scrolls_in_its_own_box_and_breadcrumbs_stay_together(
    demo, new_page
):
    from conet.actionplans.demo import load_actionplans_demo

    load_actionplans_demo()
    page = new_page(viewport={"width": 360, "height": 780}, **ITALIAN)
    page.goto("/networks/conet/palermo/plan/")
    # The breadcrumb reads as one line, not links spread across the width.
    crumbs = page.locator("nav.breadcrumb a")
    first, second = crumbs.nth(0).bounding_box(), crumbs.nth(1).bounding_box()
    assert second["x"] - (first["x"] + first["width"]) < 30
    box = page.locator("main .scrolls").first  # the plan's actions
    expect(box.locator("th").first).to_be_attached()
    hint = box.locator("xpath=preceding-sibling::p[1]")
    expect(hint).to_have_text("Scorri di lato per vedere tutte le colonne.")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    # The keyboard reaches the box and scrolls it.
    box.focus()
    page.keyboard.press("ArrowRight")
    handle = box.element_handle()
    page.wait_for_function("el => el.scrollLeft > 0", arg=handle)
    # On a computer the same table fits: no hint, no extra tab stop.
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(page.locator(".scroll-hint")).to_have_count(0)
    assert handle.get_attribute("tabindex") is None


def test_a_resident_who_mistypes_a_join_link_sees_conets_404_and_finds_the_way_home(
    demo, new_page, base_url
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, **ITALIAN)
    response = page.goto("/w/ZZZZZZ/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "it")
    # The join page again, with the code form to try once more, and the way back of every 404.
    expect(page).to_have_title(re.compile("^Pagina non trovata"))
    expect(page.locator("h1")).to_have_text("Partecipa a un workshop")
    expect(page.get_by_role("search")).to_be_visible()
    page.get_by_role("link", name="Vai alla pagina iniziale").click()
    expect(page).to_have_url(f"{base_url}/it/")
    expect(page.locator("h1")).to_be_visible()
