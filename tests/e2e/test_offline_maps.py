"""Maps that work without the tile server: country outlines kept with CoNet are drawn when the tiles
cannot be fetched (the browser tests block every request that leaves the test server), the partners
carry their names, and the partner map zooms to them."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conet.monitoring.demo import load_monitoring_demo
from conet.networks.demo import load_demo
from tests.factories import CityFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    load_demo()


def _url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_without_tiles_the_partner_map_draws_outlines_and_labelled_partners(demo, new_page):
    page = new_page(locale="it-IT", extra_http_headers={"Accept-Language": "it"})
    page.goto(_url("networks:network", "conet", language="it"))
    partner_map = page.locator("#partner-map")
    expect(partner_map).to_have_attribute("data-ready", "true")
    expect(partner_map).to_have_attribute("data-base", "outlines")
    # Natural Earth's countries: hundreds of shapes in one SVG layer under the markers.
    assert partner_map.locator("path.leaflet-interactive, svg path").count() > 100
    expect(partner_map.locator(".map-offline-note")).to_be_visible()
    expect(partner_map.locator(".map-offline-note")).to_contain_text("confini dei paesi")
    expect(partner_map.locator(".map-label")).to_have_count(11)
    expect(partner_map.locator(".map-label", has_text="Palermo")).to_be_visible()
    expect(partner_map.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    # Zoomed to the partners (Europe), not the whole world.
    bounds = page.evaluate(
        "() => { const r = document.querySelector('#partner-map').getBoundingClientRect();"
        " return [r.width, r.height]; }"
    )
    assert bounds[0] > 0
    palermo = partner_map.locator(".map-label", has_text="Palermo").bounding_box()
    box = partner_map.bounding_box()
    assert box["x"] <= palermo["x"] <= box["x"] + box["width"]


def test_with_tiles_switched_off_the_monitoring_map_stands_on_outlines(
    transactional_db, page, settings
):
    settings.CONET_MAP_TILES = "none"
    CityFactory(slug="berlin", name="Berlin")
    load_monitoring_demo()
    page.goto(_url("monitoring:overview", "berlin") + "?layer=index:mss-status&level=forecast-area")
    monitoring_map = page.locator("#monitoring-map")
    expect(monitoring_map).to_have_attribute("data-base", "outlines")
    expect(monitoring_map.locator(".leaflet-tile")).to_have_count(0)
