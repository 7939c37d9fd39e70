"""Good practices in a real browser: a city coordinator proposes a practice of their city, the
network coordinator publishes it, a visitor finds it with the filters, and reads the guide's
contents, a chapter by its permalink, and the PDF."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.networks.services import set_default_core_tasks
from conet.practices.models import GuideChapter
from tests.factories import (
    PASSWORD,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)
from tests.practices.factories import GoodPracticeFactory, GuideFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def setting(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the guide's PDF is kept here, not in var/media
    network = NetworkFactory(slug="conet-e2e-practices", name="CoNet")
    set_default_core_tasks(network)
    city = CityFactory(slug="gijon-e2e", name="Gijón", country="ES", population=270_000)
    PartnershipFactory(network=network, city=city)
    coordinator = UserFactory(email="gijon-e2e@example.org")
    MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city, user=coordinator)
    lead = UserFactory(email="lead-e2e@example.org")
    MembershipFactory(role=Role.NETWORK_COORDINATOR, network=network, user=lead)
    guide = GuideFactory(network=network, slug="guide", title="Guide to Social Cohesion")
    for task in network.core_tasks.all():
        chapter = GuideChapter.objects.create(guide=guide, core_task=task)
        chapter.practices.set([GoodPracticeFactory(name=f"Practice for task {task.number}")])
    return {"network": network, "city": city, "coordinator": coordinator, "lead": lead}


def _sign_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_a_proposed_practice_is_published_and_found_by_a_visitor(setting, new_page):
    network = setting["network"]
    page = new_page()
    _sign_in(page, setting["coordinator"].email)
    page.goto(f"/en/networks/{network.slug}/practices/propose/")
    page.select_option("select[name=city]", label="Gijón")
    page.fill("input[name=name]", "Citizen card for every service")
    page.fill("input[name=description]", "One card opens libraries, pools and buses")
    page.get_by_label("Improve participation").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Citizen card for every service")
    expect(page.locator("main")).to_contain_text("Draft")
    slug = page.url.rstrip("/").rsplit("/", 1)[1]

    lead = new_page()
    _sign_in(lead, setting["lead"].email)
    lead.goto(f"/en/practices/{slug}/")
    with lead.expect_navigation():
        lead.get_by_role("button", name="Publish").click()
    expect(lead.get_by_role("button", name="Take back to draft")).to_be_visible()

    visitor = new_page(viewport={"width": 390, "height": 844})  # a phone
    visitor.goto("/en/practices/")
    visitor.select_option("select[name=country]", value="ES")
    visitor.select_option("select[name=size]", value="large")
    visitor.select_option("select[name=core_task]", label="1. Improve participation")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Filter").click()
    expect(visitor.locator(".cards")).to_contain_text("Citizen card for every service")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Citizen card for every service").click()
    expect(visitor.locator("main")).to_contain_text("Gijón")


def test_a_visitor_reads_the_guide_by_contents_permalink_and_pdf(setting, page, base_url):
    network = setting["network"]
    page.goto(f"/en/networks/{network.slug}/guides/guide/")
    contents = page.locator(".guide-contents li")
    expect(contents).to_have_count(7)
    with page.expect_navigation():
        page.get_by_role("link", name="Reduce segregation").click()
    assert page.url.endswith(f"/en/networks/{network.slug}/guides/guide/6/")
    expect(page.locator("h1")).to_have_text("6. Reduce segregation")
    expect(page.locator("main")).to_contain_text("Practice for task 6")
    with page.expect_navigation():
        page.get_by_role("link", name="Develop disadvantaged neighbourhoods", exact=False).click()
    assert page.url.endswith("/guide/7/")
    response = page.request.get(f"{base_url}/networks/{network.slug}/guides/guide/guide.pdf")
    assert response.status == 200
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "6. Reduce segregation" in text and "Practice for task 7" in text


def test_a_practice_with_coordinates_shows_its_place_on_a_map(setting, page):
    practice = GoodPracticeFactory(
        name="Spazio 13", city_name="Bari", latitude="41.137553", longitude="16.762615"
    )
    page.goto(practice.get_absolute_url())
    expect(page.locator("#practice-map[data-ready=true]")).to_be_visible()
    expect(page.locator("#practice-map .leaflet-marker-icon")).to_have_count(1)
