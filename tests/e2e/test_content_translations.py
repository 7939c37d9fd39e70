"""A coordinator translates the network's objectives; visitors read them in their language.

Issue 13's acceptance: a coordinator adds a German version of the objectives, a German visitor
sees it, an Italian visitor sees the original with the note "Originale in inglese"; with the
translation service on (a local stand-in speaking LibreTranslate's protocol) the coordinator asks
for the missing translations and sees them marked "translated automatically".

Addresses come from reverse() under the visitor's language and every browser has its locale set,
so the test holds whether the language is in the address (/de/…) or in Accept-Language.
Set CONET_SCREENSHOTS=<folder> to keep screenshots at 390 px and 1366 px.
"""

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conet.accounts.models import Role
from tests.factories import CityFactory, MembershipFactory, NetworkFactory, PartnershipFactory
from tests.translation_service import FakeTranslationService

pytestmark = pytest.mark.browser

OBJECTIVES = "- Learn together how cities bring neighbours closer\n- Act on what we learn"
GERMAN = "- Gemeinsam lernen, wie Städte Nachbarn zusammenbringen\n- Danach handeln"
LOCALES = {"de": "de-DE", "it": "it-IT"}


@pytest.fixture
def service():
    service = FakeTranslationService().start()
    yield service
    service.stop()


@pytest.fixture
def network(transactional_db):
    network = NetworkFactory(
        slug="conet-net",
        name="CoNet",
        objectives=OBJECTIVES,
        activities="Four transnational meetings a year.",
    )
    PartnershipFactory(
        network=network, city=CityFactory(name="Palermo", country="IT", languages="it")
    )
    return network


@pytest.fixture
def coordinator(network):
    return MembershipFactory(role=Role.NETWORK_COORDINATOR, network=network).user


def url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def browser_page(new_page, live_server, language: str, user=None, width: int = 1366):
    page = new_page(
        locale=LOCALES[language],
        viewport={"width": width, "height": 900},
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    if user is not None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    return page


def screenshot(page, name: str) -> None:
    folder = os.environ.get("CONET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_coordinator_translates_and_visitors_read_their_language(
    network, coordinator, service, settings, new_page, live_server
):
    # The coordinator, in German, adds the German version of the objectives.
    editor = browser_page(new_page, live_server, "de", coordinator)
    editor.goto(url("de", "networks:network", network.slug))
    with editor.expect_navigation():
        editor.get_by_role("button", name="Übersetzungen").click()
    expect(editor.locator("h1")).to_have_text("Übersetzungen von CoNet")
    expect(editor.locator("main")).to_contain_text(
        "Die maschinelle Übersetzung ist auf dieser Plattform nicht eingeschaltet."
    )
    objectives = editor.locator("#field-objectives")
    expect(objectives.locator("li").filter(has_text="Deutsch")).to_contain_text("fehlt")
    with editor.expect_navigation():
        objectives.get_by_role("link", name="Deutsch").click()
    expect(editor.locator("h2#original-heading")).to_have_text("Original auf Englisch")
    editor.locator("textarea[name=text]").fill(GERMAN)
    with editor.expect_navigation():
        editor.locator("main form button[type=submit]").click()
    expect(editor.locator("#field-objectives li").filter(has_text="Deutsch")).to_contain_text(
        "aktuell"
    )
    screenshot(editor, "coordinator-overview-de-1366")

    # A German visitor reads the German objectives.
    german = browser_page(new_page, live_server, "de")
    german.goto(url("de", "networks:network", network.slug))
    expect(german.locator("html")).to_have_attribute("lang", "de")
    german_text = german.locator("#objectives .content-text")
    expect(german_text).to_have_attribute("lang", "de")
    expect(german_text).to_contain_text("Gemeinsam lernen, wie Städte Nachbarn zusammenbringen")
    expect(german.locator("#objectives .content-note")).to_have_count(0)
    screenshot(german, "visitor-de-1366")

    # An Italian visitor reads the English original, told that it is the original.
    italian = browser_page(new_page, live_server, "it")
    italian.goto(url("it", "networks:network", network.slug))
    expect(italian.locator("html")).to_have_attribute("lang", "it")
    expect(italian.locator("#objectives .content-text")).to_have_attribute("lang", "en")
    expect(italian.locator("#objectives .content-text")).to_contain_text("Learn together")
    expect(italian.locator("#objectives .content-note")).to_have_text("Originale in inglese")
    screenshot(italian, "visitor-it-before-1366")

    # The translation service is switched on; the coordinator asks for the missing versions.
    settings.CONET_TRANSLATION_URL = service.libretranslate_url
    editor.goto(url("de", "core:translations", "networks.network", network.pk))
    with editor.expect_navigation():
        editor.get_by_role("button", name="Fehlende Texte automatisch übersetzen").click()
    editor.reload()  # the work ran in the background, on commit
    expect(editor.locator(".translation-summary")).to_have_text(
        "Jeder Text ist in jede Sprache übersetzt."
    )
    expect(editor.locator("#machine-translation")).to_contain_text(
        "17 Texte wurden automatisch übersetzt."  # 8 objectives, 9 activities
    )
    italian_row = editor.locator("#field-objectives li").filter(has_text="italiano")
    expect(italian_row).to_contain_text("automatisch übersetzt")
    # the coordinator's own German version was left as it was
    german_row = editor.locator("#field-objectives li").filter(has_text="Deutsch")
    expect(german_row).not_to_contain_text("automatisch übersetzt")
    screenshot(editor, "coordinator-after-machine-de-1366")

    # The Italian visitor now reads the machine's Italian, marked so, the original one tap away.
    italian.reload()
    objectives_it = italian.locator("#objectives")
    expect(objectives_it.locator(".content-text")).to_have_attribute("lang", "it")
    expect(objectives_it.locator(".content-text li").first).to_have_text(
        "[it] Learn together how cities bring neighbours closer"
    )
    toggle = objectives_it.locator("details.content-original")
    expect(toggle.locator("summary")).to_have_text("Tradotto automaticamente · Mostra l'originale")
    expect(toggle.locator("div[lang=en]")).to_be_hidden()
    toggle.locator("summary").click()
    expect(toggle.locator("div[lang=en]")).to_contain_text("Learn together")
    screenshot(italian, "visitor-it-machine-1366")
    # The German visitor still reads the person's German.
    german.reload()
    expect(german.locator("#objectives .content-text")).to_contain_text("Gemeinsam lernen")
    expect(german.locator("#objectives details.content-original")).to_have_count(0)


@pytest.mark.parametrize("language", ["de", "it"])
def test_translated_pages_fit_a_phone(
    network, coordinator, service, settings, new_page, live_server, language
):
    from conet.core.translations import services

    services.save_translation(
        network, "objectives", "de", GERMAN, by=coordinator, expected_version=0
    )
    settings.CONET_TRANSLATION_URL = service.libretranslate_url
    pages = {
        "visitor": (None, url(language, "networks:network", network.slug)),
        "coordinator": (
            coordinator,
            url(language, "core:translations", "networks.network", network.pk),
        ),
        "editor": (
            coordinator,
            url(
                language,
                "core:translation_edit",
                "networks.network",
                network.pk,
                "objectives",
                "fr",
            ),
        ),
    }
    for role, (user, address) in pages.items():
        for width in (390, 1366):
            page = browser_page(new_page, live_server, language, user, width)
            page.goto(address)
            expect(page.locator("html")).to_have_attribute("lang", language)
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            assert scroll_width <= width + 1, f"{role} page is {scroll_width}px wide at {width}px"
            screenshot(page, f"{role}-{language}-{width}")
