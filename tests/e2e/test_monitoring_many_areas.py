"""A map of very many areas in a real browser: zoomed out it asks to zoom in (and says how many
areas are in view); zoomed in it draws the areas in view, coloured by class, with their values."""

import pytest
from playwright.sync_api import expect

from conet.monitoring import selectors
from tests.monitoring.conftest import build_city

pytestmark = pytest.mark.browser


@pytest.fixture
def bigville(transactional_db, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_INLINE_LIMIT", 10)
    monkeypatch.setattr(selectors, "MAP_FEATURE_LIMIT", 20)
    return build_city(60, slug="bigville")


def test_zoomed_out_the_map_asks_to_zoom_in_and_zoomed_in_it_draws_the_areas(bigville, page):
    page.goto("/en/cities/bigville/monitoring/?layer=index:status&period=2021")
    area_map = page.locator("#monitoring-map")
    expect(area_map).to_have_attribute("data-ready", "true")
    notice = page.locator("#monitoring-map-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Zoom in to see the areas: 48 are in view.")
    expect(area_map.locator("path.leaflet-interactive")).to_have_count(0)

    # Zoom in step by step, each time waiting for the answer for the new view: Leaflet ignores a
    # click that comes while the previous zoom is still animating.
    for _ in range(6):
        if not notice.is_visible():
            break
        before = notice.text_content()
        page.locator(".leaflet-control-zoom-in").click()
        expect(notice).not_to_have_text(before)
        expect(area_map).to_have_attribute("data-ready", "true")
    expect(notice).to_be_hidden()
    shapes = area_map.locator("path.leaflet-interactive")
    count = int(area_map.get_attribute("data-in-view"))
    assert 0 < count <= 20
    expect(shapes).to_have_count(count)
    middle = shapes.nth(count // 2)
    code = middle.get_attribute("data-area")
    middle.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(code)
