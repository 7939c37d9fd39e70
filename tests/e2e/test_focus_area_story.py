"""A visitor follows Ballarò's story, in Italian, from Palermo's city page to the progress of a plan
action that a consultation statement led to (issue 14, item 2).

Set CONET_SCREENSHOTS=<folder> to keep screenshots of the focus-area page at 390 px and 1366 px.
"""

import os
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from conet.actionplans.demo import load_actionplans_demo
from conet.consultations.demo import link_ballaro_story, load_consultation_demo
from conet.networks.demo import load_demo
from conet.workshops.demo import load_workshops_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def ballaro(transactional_db):
    load_demo()
    load_consultation_demo()
    load_actionplans_demo()
    load_workshops_demo()
    link_ballaro_story()


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("CONET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_visitor_follows_ballaro_from_a_statement_to_the_actions_progress(ballaro, new_page):
    page = new_page(locale="it-IT", viewport={"width": 1366, "height": 900})
    page.goto("/it/cities/palermo/")
    page.locator("#city-networks").get_by_role("link", name="Ballarò").click()
    page.wait_for_url("**/it/networks/conet/palermo/ballaro/")
    assert page.url.endswith("/it/networks/conet/palermo/ballaro/")
    expect(page.locator("h1")).to_have_text("Ballarò")
    expect(page.locator("#partner-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#story-title")).to_have_text("La storia finora")
    _screenshot(page, "focus-area-it-1366")

    # The consultation's statement about the services → the action it led to.
    # Oldest first: the consultation of 2009 that the plan came from, then the one open now.
    consultations = page.locator("#story-consultations article")
    expect(consultations.locator("h4")).to_have_text(
        ["Che cosa deve cambiare a Ballarò?", "Che cosa serve a Ballarò nei prossimi cinque anni?"]
    )
    consultation = consultations.first
    expect(consultation.locator(".meta").first).to_contain_text("2009")
    expect(consultation).not_to_contain_text("In ascolto ora")
    listening = consultations.last
    expect(listening.locator(".listening-now")).to_have_text("In ascolto ora")
    expect(listening.get_by_role("link", name="Di' la tua")).to_have_attribute(
        "href", "/it/consultations/ballaro/"
    )
    statement = consultation.locator("ul.led-to li", has_text="coordinare i servizi")
    statement.get_by_role("link", name="azione 1: Ballarò neighbourhood table").click()

    assert page.url.endswith("/it/networks/conet/palermo/plan/actions/1/")
    expect(page.locator("h1")).to_have_text("Ballarò neighbourhood table")
    expect(page.locator("#action-progress-value")).to_contain_text("100 % realizzato")
    # …and the way back: the action names the statement it came from.
    origins = page.locator("#action-origins")
    expect(origins).to_contain_text("Affermazione di una consultazione")
    expect(origins).to_contain_text("Il Comune deve coordinare i servizi")

    phone = new_page(
        locale="it-IT", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.goto("/it/networks/conet/palermo/ballaro/")
    expect(phone.locator("#partner-map")).to_have_attribute("data-ready", "true")
    _screenshot(phone, "focus-area-it-390")
    wide = phone.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 391
                    && e.parentElement.getBoundingClientRect().right <= 391
                    && getComputedStyle(e.parentElement).overflowX === 'visible')
            .slice(0, 6).map(e => e.tagName + '.' + e.className)"""
    )
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 391, wide


# Around the market of Ballarò, longitude/latitude.
BALLARO_OUTLINE = {
    "type": "Polygon",
    "coordinates": [
        [[13.3560, 38.1105], [13.3645, 38.1100], [13.3660, 38.1150], [13.3590, 38.1172],
         [13.3560, 38.1105]]
    ],
}  # fmt: skip


def test_the_map_outlines_the_focus_area_where_the_citys_monitoring_has_its_shape(
    ballaro, new_page
):
    from conet.monitoring.models import Area, AreaLevel
    from conet.networks.models import City

    palermo = City.objects.get(slug="palermo")
    level = AreaLevel.objects.create(city=palermo, code="quartiere", name="Quartiere")
    area = Area(city=palermo, level=level, code="PA-1", name="Ballarò", geometry=BALLARO_OUTLINE)
    area.set_bounds()
    area.save()
    for name, viewport in (("1366", {"width": 1366, "height": 900}), ("390", PHONE)):
        page = new_page(locale="it-IT", viewport=viewport)
        page.goto("/it/networks/conet/palermo/ballaro/")
        expect(page.locator("#partner-map")).to_have_attribute("data-ready", "true")
        expect(page.locator('#partner-map path[data-focus-area="Ballarò"]')).to_be_visible()
        expect(page.locator("#partner-map .leaflet-marker-icon")).to_have_count(0)
        expect(page.locator("#focus-area-place")).to_be_visible()
        with translation.override("it"):
            figures = area.get_absolute_url()
        link = page.get_by_role("link", name="Ballarò nel monitoraggio dei quartieri")
        expect(link).to_have_attribute("href", figures)
        _screenshot(page, f"focus-area-outline-it-{name}")


PHONE = {"width": 390, "height": 844}
