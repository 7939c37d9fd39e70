"""In a real browser: the network coordinator plans a meeting with one seat and an agenda item;
one person takes the seat, another joins the waiting list; when the first cancels, the second moves
up and reads it in their notifications; the meeting's iCal file carries the local time."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from conet.accounts.models import Role
from conet.core.languages import without_language
from tests.factories import (
    PASSWORD,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    network = NetworkFactory(slug="conet-meet", name="CoNet meetings")
    city = CityFactory(slug="sofia-meet", name="Sofia", country="BG")
    PartnershipFactory(network=network, city=city)
    coordinator = UserFactory(email="coordinator-meet@example.org")
    MembershipFactory(role=Role.NETWORK_COORDINATOR, network=network, user=coordinator)
    return {
        "coordinator": coordinator,
        "ana": UserFactory(email="ana@example.org", name="Ana"),
        "ben": UserFactory(email="ben@example.org", name="Ben"),
    }


def sign_in(new_page, user):
    page = new_page()
    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    return page


def test_plan_register_wait_cancel_and_move_up(people, new_page):
    coordinator = sign_in(new_page, people["coordinator"])
    coordinator.goto("/en/networks/conet-meet/meetings/")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Plan a thematic meeting").click()
    form = coordinator.locator("main form")
    form.locator("input[name=title]").fill("Roma inclusion and desegregation")
    form.locator("select[name=host_city]").select_option(label="Sofia")
    form.locator("select[name=time_zone]").select_option("Europe/Sofia")
    form.locator("input[name=starts_at]").fill("2031-10-27T09:00")
    form.locator("input[name=ends_at]").fill("2031-10-28T13:00")
    form.locator("input[name=capacity]").fill("1")
    with coordinator.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(coordinator.locator("h1")).to_have_text("Roma inclusion and desegregation")
    meeting_url = coordinator.url

    coordinator.get_by_text("Add an agenda item").click()
    agenda = coordinator.locator("form[action$='/agenda/']")
    agenda.locator("input[name=starts_at]").fill("2031-10-27T09:30")
    agenda.locator("input[name=title]").fill("Welcome by Sofia Municipality")
    agenda.locator("input[name=speakers]").fill("Deputy mayor")
    with coordinator.expect_navigation():
        agenda.locator("button[type=submit]").click()
    expect(coordinator.locator(".agenda")).to_contain_text("Welcome by Sofia Municipality")

    ana = sign_in(new_page, people["ana"])
    ana.goto(meeting_url)
    with ana.expect_navigation():
        ana.get_by_role("button", name="Register").click()
    expect(ana.locator(".registration-status")).to_have_text("You are registered.")

    ben = sign_in(new_page, people["ben"])
    ben.goto(meeting_url)
    with ben.expect_navigation():
        ben.get_by_role("button", name="Join the waiting list").click()
    expect(ben.locator(".registration-status")).to_contain_text("number 1 on the waiting list")

    with ana.expect_navigation():
        ana.get_by_role("button", name="Cancel my registration").click()

    ben.goto("/en/notifications/")
    expect(ben.locator(".notifications")).to_contain_text(
        # The day as an English reader writes it (issue 12), not the stored ISO day.
        "A seat at Roma inclusion and desegregation on Oct. 27, 2031 became free"
    )
    with ben.expect_navigation():
        ben.locator(".notifications a").first.click()
    expect(ben.locator(".registration-status")).to_have_text("You are registered.")

    if shots := __import__("os").environ.get("CONET_SCREENSHOTS"):
        coordinator.reload()
        coordinator.screenshot(path=f"{shots}/meeting-organiser.png", full_page=True)
        ben.screenshot(path=f"{shots}/meeting-registered.png", full_page=True)
        ben.goto("/en/networks/conet-meet/meetings/")
        ben.screenshot(path=f"{shots}/meeting-calendar.png", full_page=True)
        ben.goto("/en/notifications/")
        ben.screenshot(path=f"{shots}/notifications.png", full_page=True)
    # Calendars have no language prefix (docs/i18n.md).
    ics = ben.request.get(without_language(urlsplit(meeting_url).path) + "meeting.ics")
    [event] = Calendar.from_ical(ics.body()).walk("VEVENT")
    assert event["dtstart"].dt == datetime(2031, 10, 27, 9, 0, tzinfo=ZoneInfo("Europe/Sofia"))
