"""The Berlin monitoring page stays usable on a phone: long lists start folded there, with their
size in the summary, and open with a tap; on a wide screen nothing changes."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conet.monitoring.demo import load_monitoring_demo
from tests.factories import CityFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def berlin(transactional_db):
    CityFactory(slug="berlin", name="Berlin")
    load_monitoring_demo()


def _url(query: str = "") -> str:
    with translation.override("de"):
        return reverse("monitoring:overview", args=["berlin"]) + query


@pytest.mark.parametrize("query", ["", "?layer=index:mss-status&period=2021&level=planning-area"])
def test_the_berlin_page_is_a_few_screens_tall_on_a_phone(berlin, new_page, query):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="de-DE")
    page.goto(_url(query))
    expect(page.locator("#monitoring-legend")).to_be_visible()
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height <= 3200, f"{height}px tall on a 390px phone"
    # The lists are one tap away, and say how long they are.
    areas = page.locator("details#area-table")
    expect(areas.locator("summary")).to_contain_text("(")
    areas.locator("summary").click()
    expect(areas).to_have_attribute("open", "")
    expect(areas.locator("tbody tr").first).to_be_visible()
    indicators = page.locator("details#indicator-table")
    indicators.locator("summary").click()
    expect(indicators.locator("tbody tr").first).to_be_visible()


def test_a_wide_screen_keeps_the_list_of_areas_without_shapes_open(berlin, page):
    page.goto(_url("?layer=index:mss-status&period=2021&level=planning-area"))
    expect(page.locator("details#area-table")).to_have_attribute("open", "")
