"""Drafts autosave in a real browser: a coordinator types into a section, the draft is saved a
moment after typing stops (no button), survives leaving the page, and is gone once saved."""

import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.actionplans.models import Draft, PlanSection
from tests.factories import (
    PASSWORD,
    CityFactory,
    LocalActionPlanFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(transactional_db, settings):
    settings.CONET_AUTOSAVE_DELAY_MS = 300
    network = NetworkFactory(slug="drafts-e2e", name="Drafts e2e")
    city = CityFactory(slug="alba-e2e", name="Alba Iulia")
    partnership = PartnershipFactory(network=network, city=city)
    plan = LocalActionPlanFactory(partnership=partnership, title="Plan of Alba Iulia")
    for kind in PlanSection.Kind.values:
        PlanSection.objects.create(plan=plan, kind=kind)
    user = UserFactory(email="alba-e2e@example.org")
    MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city, user=user)
    return user


def test_a_section_draft_autosaves_survives_leaving_and_is_gone_once_saved(coordinator, page):
    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", coordinator.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()

    section_url = "/en/networks/drafts-e2e/alba-e2e/plan/sections/evidence/"
    page.goto(section_url)
    page.locator("textarea[name=text]").press_sequentially("School drop-out in Lumea Nouă: 18 %")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at")
    assert Draft.objects.get().data == {"text": ["School drop-out in Lumea Nouă: 18 %"]}

    page.goto("/en/networks/drafts-e2e/alba-e2e/plan/")  # leave without saving
    page.goto(section_url)
    expect(page.locator(".draft-notice")).to_be_visible()
    expect(page.locator("textarea[name=text]")).to_have_value("School drop-out in Lumea Nouă: 18 %")

    with page.expect_navigation():
        page.locator("main form button[type=submit]", has_text="Save").click()
    expect(page.locator("#section-evidence")).to_contain_text("School drop-out in Lumea Nouă")
    assert not Draft.objects.exists()
    page.goto(section_url)
    expect(page.locator(".draft-notice")).to_have_count(0)
