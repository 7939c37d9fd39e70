"""My data in a real browser, in German on a phone: the page explains itself, the button downloads a
ZIP of the person's data, and the password-confirmed deletion signs them out with their account
gone. On a workshop phone, "delete what I contributed" takes the card off the board.
Screenshots go to CONET_SCREENSHOT_DIR when it is set (for looking at the pages)."""

import json
import os
import zipfile

import pytest
from playwright.sync_api import expect

from conet.accounts.models import Role, User
from conet.workshops.models import Card
from tests.e2e.conftest import ACTION_TIMEOUT_MS
from tests.factories import PASSWORD, CityFactory, MembershipFactory, UserFactory
from tests.workshops.factories import WorkshopFactory, open_phase
from tests.workshops.live import served

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _shot(page, name: str) -> None:
    folder = os.environ.get("CONET_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def member(transactional_db):
    city = CityFactory(slug="mydata-e2e", name="Alba Iulia")
    user = UserFactory(email="mydata-e2e@example.org", name="Maria Muster", language="de")
    MembershipFactory(role=Role.LSG_MEMBER, network=None, city=city, user=user)
    return user


def _sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_my_data_downloads_a_zip_and_deletes_the_account_in_german(member, new_page, viewport):
    page = new_page(viewport=viewport, locale="de-DE")
    _sign_in(page, member)
    page.get_by_role("link", name="Meine Daten").click()
    expect(page.locator("h1")).to_have_text("Meine Daten")
    expect(page.locator("main")).to_contain_text("ein ehemaliges Mitglied")
    expect(page.locator("main")).to_contain_text("Die Fotos, die Sie hochgeladen haben, bleiben")
    _shot(page, f"my-data-de-{viewport['width']}")

    with page.expect_download() as download:
        page.get_by_role("button", name="Meine Daten herunterladen").click()
    archive = zipfile.ZipFile(download.value.path())
    account = json.loads(archive.read("account.json"))
    assert json.loads(archive.read("photos.json")) == {"photos_uploaded": []}
    assert account["profile"]["email"] == member.email

    page.fill("input[name=password]", "falsch")
    page.get_by_role("button", name="Mein Konto löschen").click()
    expect(page.locator("main")).to_contain_text("Das ist nicht Ihr Passwort.")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Mein Konto löschen").click()
    expect(page.locator("body")).to_contain_text("Ihr Konto und Ihre personenbezogenen Daten")
    assert not User.objects.filter(email=member.email).exists()


def test_a_workshop_phone_deletes_its_card(transactional_db, browser):
    """Over real WebSockets (uvicorn in a thread, as in test_workshop_journeys.py)."""
    workshop = WorkshopFactory(city=CityFactory(slug="ws-forget-e2e"), language="de")
    open_phase(workshop, "critique", "write")
    with served() as port:
        context = browser.new_context(
            base_url=f"http://127.0.0.1:{port}",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="de-DE",
            extra_http_headers={"Accept-Language": "de"},
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"/w/{workshop.code}/")
        page.fill("input[name=display_name]", "Ana")
        page.locator("main button[type=submit]").click()
        expect(page.locator("#connection")).to_have_text("Live")
        page.fill("#card-text", "Zu viel Verkehr")
        page.locator("#card-form button[type=submit]").click()
        expect(page.locator("#clusters")).to_contain_text("Zu viel Verkehr")
        # The phone shows its card at once, marked as sending; stored means acknowledged.
        expect(page.locator("#clusters .board-card.is-pending")).to_have_count(0)
        assert Card.objects.count() == 1

        page.get_by_role("link", name="Meine Beiträge löschen").click()
        _shot(page, "workshop-forget-de-390")
        page.get_by_role("button", name="Meine Karten und Punkte löschen").click()
        expect(page.locator("body")).to_contain_text("Ihre Karten und Punkte wurden")
        _shot(page, "workshop-forgotten-de-390")
        assert Card.objects.count() == 0
        context.close()
