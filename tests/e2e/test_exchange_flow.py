"""In a real browser, the whole city-to-city scheme: Sofia's city coordinator posts a request, the
network coordinator invites the top match, the expert accepts (and each side reads the other's
step in their notifications), the visit is planned, and both sides file their reports, the city
linking what it takes over to an action of its Local Action Plan."""

from datetime import date

import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.exchange.models import SupportRequest, Visit
from conet.networks.models import CoreTask
from tests.exchange.factories import AvailabilityFactory, ExpertProfileFactory
from tests.factories import (
    PASSWORD,
    ActionFactory,
    CityFactory,
    LocalActionPlanFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    network = NetworkFactory(slug="conet-exchange", name="CoNet exchange")
    sofia = CityFactory(slug="sofia-exchange", name="Sofia", country="BG", languages="bg")
    partnership = PartnershipFactory(network=network, city=sofia)
    inclusion = CoreTask.objects.create(network=network, number=2, names={"en": "Include everyone"})
    CoreTask.objects.create(network=network, number=4, names={"en": "Social infrastructure"})
    city_coordinator = UserFactory(email="sofia-coordinator@example.org", name="Maria Ivanova")
    MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=sofia, user=city_coordinator)
    coordinator = UserFactory(email="network-coordinator@example.org", name="Net Coordinator")
    MembershipFactory(role=Role.NETWORK_COORDINATOR, network=network, user=coordinator)
    ivan = ExpertProfileFactory(
        user=UserFactory(email="ivan@example.org", name="Ivan Petrov"),
        headline="Roma inclusion and social housing",
        languages="bg,en",
    )
    ivan.core_tasks.set([inclusion])
    AvailabilityFactory(profile=ivan, starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 31))
    ExpertProfileFactory(
        user=UserFactory(email="greta@example.org", name="Greta Gardens"),
        headline="Urban gardens",
        languages="sv",
    )
    plan = LocalActionPlanFactory(partnership=partnership, title="Fakulteta plan")
    action = ActionFactory(plan=plan, number=1, title="Social housing block", progress=30)
    return {
        "city_coordinator": city_coordinator,
        "coordinator": coordinator,
        "ivan": ivan,
        "action": action,
    }


def sign_in(new_page, user):
    page = new_page()
    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    return page


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_sofia_asks_the_coordinator_invites_the_expert_accepts_and_both_report(scene, new_page):
    # Sofia's city coordinator posts the request.
    sofia = sign_in(new_page, scene["city_coordinator"])
    sofia.goto("/en/exchange/")
    expect(sofia.locator(".empty")).to_be_visible()
    with sofia.expect_navigation():
        sofia.get_by_role("button", name="Ask for support").click()
    form = sofia.locator("main form")
    form.locator("input[name=title]").fill("Housing and inclusion for Roma families in Fakulteta")
    form.locator("input[name=project]").fill("Fakulteta integrated project")
    form.locator("textarea[name=problem]").fill(
        "Overcrowded informal housing, early school leaving."
    )
    form.locator("textarea[name=know_how]").fill(
        "How to combine social housing with jobs, school and health mediators."
    )
    form.locator("input[name=preferred_start]").fill("2026-05-04")
    form.locator("input[name=preferred_end]").fill("2026-05-29")
    form.locator("input[name=languages]").fill("bg,en")
    form.get_by_label("Include everyone").check()
    submit(sofia, form)
    expect(sofia.locator("h1")).to_have_text("Housing and inclusion for Roma families in Fakulteta")
    expect(sofia.locator("#request-status")).to_have_text("open")
    request_url = sofia.url

    # The network coordinator sees the matches with their reasons and invites the top one.
    coordinator = sign_in(new_page, scene["coordinator"])
    coordinator.goto(request_url)
    top = coordinator.locator(".expert-match").first
    expect(top).to_contain_text("Ivan Petrov")
    expect(top).to_contain_text("languages: 100 %")
    expect(top).to_contain_text("core tasks: 100 %")
    submit(coordinator, top.locator("form"))
    expect(coordinator.locator(".invitations")).to_contain_text("Ivan Petrov — invited")

    # The expert reads the invitation and accepts.
    ivan = sign_in(new_page, scene["ivan"].user)
    ivan.goto("/en/notifications/")
    expect(ivan.locator("main")).to_contain_text("You are invited to help Sofia")
    ivan.goto(request_url)
    answer = ivan.locator("#your-invitation form")
    answer.locator("textarea[name=answer]").fill("Gladly, in May.")
    with ivan.expect_navigation():
        answer.get_by_role("button", name="Accept").click()
    expect(ivan.locator("#your-invitation")).to_contain_text("accepted")
    expect(ivan.locator("#request-status")).to_have_text("matched")

    # Both the coordinator and the city hear of it.
    coordinator.goto("/en/notifications/")
    expect(coordinator.locator("main")).to_contain_text("Ivan Petrov accepted the invitation")

    # The coordinator plans the visit.
    coordinator.goto(request_url)
    coordinator.get_by_text("Plan a visit").click()
    visit_form = coordinator.locator("form[action$='/visit/']")
    visit_form.locator("input[name=starts_on]").fill("2026-05-12")
    visit_form.locator("input[name=ends_on]").fill("2026-05-14")
    visit_form.locator("textarea[name=travel]").fill("Flight Sofia, hotel near the city hall")
    visit_form.locator("textarea[name=agenda]").fill("Day 1: walk through Fakulteta")
    submit(coordinator, visit_form)
    expect(coordinator.locator("h1")).to_have_text("Visit to Sofia")
    visit_url = coordinator.url
    expect(
        coordinator.get_by_role("link", name="Site visit in the network's calendar")
    ).to_be_visible()

    # The city files its report and links the transfer to its plan action.
    sofia.goto(visit_url)
    host = sofia.locator("#report-form-host")
    host.locator("textarea[name=host-understood]").fill("How mediators link housing and school")
    host.locator("textarea[name=host-adapted]").fill("Two mediators for Fakulteta")
    host.locator(f"select[name=host-stage_{scene['action'].pk}]").select_option("adapt")
    host.locator(f"input[name=host-note_{scene['action'].pk}]").fill("Mediators in the new block")
    submit(sofia, host)
    expect(sofia.locator("#report-host")).to_contain_text("How mediators link housing and school")
    expect(sofia.locator("main table")).to_contain_text("Social housing block")
    expect(sofia.locator("main table")).to_contain_text("30 %")

    # The expert files theirs; the visit is done and the request closed.
    ivan.goto(visit_url)
    expert = ivan.locator("#report-form-expert")
    expert.locator("textarea[name=expert-understood]").fill(
        "Strong civic actors, weak coordination"
    )
    expert.locator("textarea[name=expert-reused]").fill("Stara Zagora's allocation rules")
    submit(ivan, expert)
    expect(ivan.locator("#visit-status")).to_have_text("done")
    expect(ivan.locator("#report-expert")).to_contain_text("Strong civic actors")

    stored = SupportRequest.objects.get()
    assert stored.status == "closed"
    assert Visit.objects.get().reports.count() == 2
