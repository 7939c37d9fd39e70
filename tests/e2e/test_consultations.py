"""Two residents vote on their phones; the city coordinator watches the opinion map change (issue #8)."""

import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.consultations import services
from conet.consultations.models import Consultation, Vote
from conet.consultations.simulation import planted_conversation
from tests.factories import (
    PASSWORD,
    CityFactory,
    ConsultationFactory,
    MembershipFactory,
    ParticipantFactory,
    StatementFactory,
)

pytestmark = pytest.mark.browser

STATEMENTS = 8


@pytest.fixture
def conversation(transactional_db, settings):
    # Recompute on every vote, so the test need not wait for the throttle.
    settings.CONET_CONSULTATION_RECOMPUTE_SECONDS = 0
    settings.CONET_CONSULTATION_REFRESH_SECONDS = 1
    city = CityFactory(slug="palermo", name="Palermo")
    coordinator = MembershipFactory(
        role=Role.CITY_COORDINATOR, network=None, city=city, user__email="coord@example.org"
    ).user
    consultation = ConsultationFactory(city=city, slug="ballaro", question="Ballarò tomorrow?")
    statements = [
        StatementFactory(consultation=consultation, number=n, text=f"Statement number {n}")
        for n in range(STATEMENTS)
    ]
    # Thirty earlier participants in two camps, so there are groups before the two new voters.
    planted = planted_conversation(30, STATEMENTS, n_groups=2, vote_share=0.9, loyalty=1.0, seed=8)
    people = ParticipantFactory.create_batch(30, consultation=consultation)
    table = planted.table
    Vote.objects.bulk_create(
        Vote(participant=people[r], statement=statements[c], value=int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    )
    Consultation.objects.filter(pk=consultation.pk).update(votes_cast=table.vote_count)
    services.recompute(consultation)
    return consultation, coordinator, table.vote_count


def _vote_on_everything(page, slug: str, button: str) -> None:
    page.goto(f"/en/consultations/{slug}/")
    for _ in range(STATEMENTS):
        expect(page.locator("#statement .statement-text")).to_be_visible()
        number = page.locator("#statement").get_attribute("data-statement")
        # The vote is sent in place: the next statement replaces this one without a reload.
        page.locator(f"#statement button.{button}").click()
        expect(page.locator("#statement")).not_to_have_attribute("data-statement", number)
    expect(page.locator("#statement.done")).to_be_visible()


def test_two_participants_vote_and_the_coordinator_sees_the_groups_update(conversation, new_page):
    _consultation, coordinator, earlier_votes = conversation
    coordinator_page = new_page()
    coordinator_page.goto("/en/accounts/login/")
    coordinator_page.fill("input[name=username]", coordinator.email)
    coordinator_page.fill("input[name=password]", PASSWORD)
    with coordinator_page.expect_navigation():
        coordinator_page.locator("main button[type=submit]").click()
    coordinator_page.goto("/en/consultations/ballaro/results/")
    opinion_map = coordinator_page.locator("#opinion-map")
    expect(opinion_map).to_have_attribute("data-points", "30")
    expect(opinion_map.locator("polygon.group-hull")).to_have_count(2)
    expect(coordinator_page.locator(".group-card")).to_have_count(2)
    expect(coordinator_page.get_by_role("link", name="Moderate")).to_be_visible()

    # Two residents on phones, without accounts: one agrees with everything, one disagrees.
    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
    first, second = new_page(**phone), new_page(**phone)
    _vote_on_everything(first, "ballaro", "vote-agree")
    _vote_on_everything(second, "ballaro", "vote-disagree")
    scroll_width = first.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= 376, f"the voting page is {scroll_width}px wide on a 375px phone"

    # Each sees their own position on the map.
    first.goto("/en/consultations/ballaro/results/")
    expect(first.locator("#opinion-map .own-position")).to_have_count(1)

    # No reload: the results page fetches itself again and swaps in the new map and groups.
    expect(opinion_map).to_have_attribute("data-points", "32")
    expect(coordinator_page.locator(".consultation[data-refreshed]")).to_have_count(1)
    expect(opinion_map.locator("circle.participant")).to_have_count(32)
    expect(opinion_map.locator("figcaption")).to_contain_text(
        f"from {earlier_votes + 2 * STATEMENTS} votes"
    )
    expect(opinion_map.locator("polygon.group-hull")).to_have_count(2)
    # The two new voters, one agreeing and one disagreeing with everything, are in different groups.
    first.reload()
    second.goto("/en/consultations/ballaro/results/")
    caption_first = first.locator("#opinion-map figcaption").text_content()
    caption_second = second.locator("#opinion-map figcaption").text_content()
    assert "You are in group" in caption_first and "You are in group" in caption_second
    assert caption_first.split("You are in group")[1] != caption_second.split("You are in group")[1]
