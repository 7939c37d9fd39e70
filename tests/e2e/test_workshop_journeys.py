"""Journeys through the Future Workshop on a phone (390×844) in Romanian, over real WebSockets:
a city's coordinator signs in and starts a workshop from the city's page; a resident joins with
the code shown under the QR code and pins a card that reaches the facilitator's board; a resident
who mistypes a join link gets CoNet's own page to type the code again. And the QR code decodes,
with a real QR reader, to the join link.

The labels are looked up in the Romanian catalogue, so the tests also say that the pages speak
Romanian. pytest-django's live server speaks WSGI (no WebSockets): the site runs on uvicorn in a
thread here, as in test_workshop_live.py.
"""

import io
import os
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from conet.accounts.models import Role
from tests.e2e.conftest import ACTION_TIMEOUT_MS
from tests.factories import (
    PASSWORD,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
)
from tests.workshops.factories import WorkshopFactory
from tests.workshops.live import served

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANGUAGE = "ro"


def ro(text: str) -> str:
    """The Romanian of an interface string; it must differ from the English (it is translated)."""
    with translation.override(LANGUAGE):
        translated = translation.gettext(text)
    assert translated != text, f"not translated into {LANGUAGE}: {text!r}"
    return translated


@pytest.fixture
def site(browser):
    with served() as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def phone(browser, site):
    """phone() → a page in a fresh context: 390×844, touch, Romanian."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=site,
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            locale="ro-RO",
            extra_http_headers={"Accept-Language": "ro"},
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def alba_iulia():
    network = NetworkFactory()
    city = CityFactory(name="Alba Iulia", slug="alba-iulia")
    PartnershipFactory(network=network, city=city)
    coordinator = MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city).user
    return city, coordinator


def _sign_in(page, user, next_path: str) -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def _join(page, code: str, name: str) -> None:
    page.goto("/join/")
    page.get_by_label(ro("Workshop code")).fill(code)
    page.get_by_role("button", name=ro("Continue")).click()
    page.get_by_label(ro("Your name")).fill(name)
    page.get_by_role("button", name=ro("Join"), exact=True).click()
    expect(page.locator("#connection")).to_have_text(ro("Live"))


def _pin(page, text: str) -> None:
    page.locator("#card-text").fill(text)
    page.get_by_role("button", name=ro("Pin the card")).click()


def test_a_coordinator_starts_a_workshop_from_the_city_page_and_a_phone_pins_a_card(
    alba_iulia, phone, repo_root
):
    city, coordinator = alba_iulia
    facilitator = phone()
    _sign_in(facilitator, coordinator, f"/{LANGUAGE}/cities/{city.slug}/")
    assert facilitator.locator("html").get_attribute("lang") == LANGUAGE

    facilitator.get_by_role("button", name=ro("Start a workshop")).click()
    facilitator.locator("input[name=title]").fill("Un parc pentru Lumea Nouă")
    facilitator.locator("input[name=guiding_question]").fill("Ce ar trebui să aibă parcul?")
    facilitator.locator("input[name=starts_at]").fill("2026-12-08T17:00")
    expect(facilitator.locator("#id_language")).to_have_value(LANGUAGE)
    facilitator.get_by_role("button", name=ro("Set up the workshop")).click()

    # The set-up page: the QR code with the code under it, which a resident types.
    code = facilitator.locator("figure.join-qr #join-code").inner_text().strip()
    assert len(code) == 6
    facilitator.get_by_role("button", name=ro("Open the live board")).click()
    expect(facilitator.locator("#connection")).to_have_text(ro("Live"))
    facilitator.locator("[data-open-phase=critique]").click()

    resident = phone()
    _join(resident, code.lower(), "Ioana")
    expect(resident.locator("#write")).to_be_visible()
    _pin(resident, "Nu sunt bănci la umbră")
    expect(facilitator.locator(".board-card", has_text="Nu sunt bănci la umbră")).to_have_count(1)
    expect(resident.locator(".board-card", has_text="Nu sunt bănci la umbră")).to_have_count(1)
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    if os.environ.get("CONET_SCREENSHOT") == "1":
        for text in ("Copiii nu au unde să se joace", "Parcul e întunecat seara"):
            _pin(resident, text)
        expect(resident.locator(".board-card")).to_have_count(3)
        expect(resident.locator(".board-card.is-pending")).to_have_count(0)
        target = repo_root / "docs" / "screenshot-workshop-board.png"
        _save_small_png(resident.screenshot(full_page=True), target)
        assert 10_000 < target.stat().st_size < 300_000

    # Ending the workshop turns every open board into the finished record, read-only.
    facilitator.get_by_role("link", name=ro("Set-up and participants")).click()
    facilitator.get_by_role("button", name=ro("End the workshop")).click()
    expect(facilitator.get_by_role("button", name=ro("Results and protocol"))).to_be_visible()
    expect(resident.locator(".board-status .badge")).to_have_text(ro("finished").capitalize())
    expect(resident.locator("#connection")).to_have_count(0)
    expect(resident.locator("#write")).to_be_hidden()


def _save_small_png(png: bytes, target) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128).save(target, optimize=True)


def test_a_mistyped_join_link_shows_conets_page_to_type_the_code_again(phone):
    workshop = WorkshopFactory(city=CityFactory(), title="Lumea Nouă")
    resident = phone()
    response = resident.goto("/w/ZZZZZZ/")
    assert response.status == 404
    assert resident.locator("html").get_attribute("lang") == LANGUAGE
    expect(resident.get_by_role("heading", level=1)).to_have_text(ro("Join a workshop"))
    expect(resident.locator("#id_code_helptext")).to_have_text(
        ro("The %(n)d letters and digits shown by the facilitator.") % {"n": 6}
    )
    expect(resident.locator(".field-error")).to_contain_text(
        ro("No workshop has this code. Check the letters on the screen.")
    )
    expect(resident.get_by_role("link", name=ro("Go to the home page"))).to_have_attribute(
        "href", f"/{LANGUAGE}/"
    )
    # The way on: the right code this time.
    resident.get_by_label(ro("Workshop code")).fill(workshop.code)
    resident.get_by_role("button", name=ro("Continue")).click()
    expect(resident).to_have_url(re.compile(f"/{LANGUAGE}/w/{workshop.code}/$"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Lumea Nouă")


def test_the_qr_code_decodes_to_the_join_link(alba_iulia, phone, site):
    import zxingcpp
    from PIL import Image

    city, coordinator = alba_iulia
    workshop = WorkshopFactory(city=city, created_by=coordinator)
    workshop.facilitators.add(coordinator)
    page = phone()
    _sign_in(page, coordinator, workshop.get_absolute_url())
    for path in (workshop.get_absolute_url(), f"{workshop.get_absolute_url()}projector/"):
        page.goto(path)
        qr = page.locator("figure.join-qr img.qr")
        # A broken image (the SVG without its namespace) has no natural size.
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
        )
        image = Image.open(io.BytesIO(qr.screenshot()))
        decoded = [result.text for result in zxingcpp.read_barcodes(image)]
        # The link in the workshop's language (docs/i18n.md).
        assert decoded == [f"{site}/{workshop.language}/w/{workshop.code}/"], path
        expect(page.locator("figure.join-qr figcaption")).to_contain_text(workshop.code)
