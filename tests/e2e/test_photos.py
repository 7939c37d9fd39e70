"""A city coordinator, in Italian on a phone, adds a photo of their city and sees it on the page.

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
from conet.core.models import Photo
from tests.factories import CityFactory, MembershipFactory, photo_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def city(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return CityFactory(name="Palermo", slug="palermo", country="IT", languages="it")


def _signed_in_page(new_page, live_server, user, width: int):
    page = new_page(
        locale="it-IT",
        viewport={"width": width, "height": 900},
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def screenshot(page, name: str) -> None:
    folder = os.environ.get("CONET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_coordinator_adds_a_photo_in_italian_on_a_phone(city, new_page, live_server, tmp_path):
    coordinator = MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city).user
    with translation.override("it"):
        city_url = reverse("networks:city", args=[city.slug])
    picture = tmp_path / "piazza.jpg"
    picture.write_bytes(photo_bytes(size=(1200, 900), colour=(180, 120, 60)))
    not_a_picture = tmp_path / "appunti.jpg"
    not_a_picture.write_text("Non è una foto")

    page = _signed_in_page(new_page, live_server, coordinator, 390)
    page.goto(live_server.url + city_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Aggiungi una foto").click()
    expect(page.locator("h1")).to_have_text("Foto di Palermo")

    # A text file named .jpg, with no description: both refused, in Italian, nothing stored.
    page.locator("input[name=image]").set_input_files(str(not_a_picture))
    with page.expect_navigation():
        page.get_by_role("button", name="Aggiungi la foto").click()
    expect(page.locator("main")).to_contain_text("Questo file non è una foto che CoNet sa leggere")
    assert not Photo.objects.exists()

    page.locator("input[name=image]").set_input_files(str(picture))
    page.get_by_label("Descrizione per chi non può vederla").fill("Piazza Pretoria al tramonto")
    page.get_by_label("Didascalia").fill("Il centro storico")
    with page.expect_navigation():
        page.get_by_role("button", name="Aggiungi la foto").click()
    expect(page.locator(".messages")).to_contain_text("La foto è stata aggiunta.")
    screenshot(page, "photos-manage-it-390")

    page.goto(live_server.url + city_url)
    image = page.locator(".photo-strip img")
    expect(image).to_have_attribute("alt", "Piazza Pretoria al tramonto")
    expect(image).to_have_attribute("loading", "lazy")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.photo-strip img'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    # The browser picked one of the two sizes from srcset, and it decoded.
    chosen = page.evaluate("document.querySelector('.photo-strip img').currentSrc")
    assert chosen.endswith(("-480.jpg", "-1600.jpg"))
    expect(page.locator(".photo-strip figcaption")).to_contain_text("Il centro storico")
    screenshot(page, "photos-city-it-390")

    wide = _signed_in_page(new_page, live_server, coordinator, 1366)
    wide.goto(live_server.url + city_url)
    wide.wait_for_function(
        "() => { const i = document.querySelector('.photo-strip img'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    screenshot(wide, "photos-city-it-1366")
    with translation.override("it"):
        manage_url = reverse("core:photos", args=["networks.city", city.pk])
    wide.goto(live_server.url + manage_url)
    screenshot(wide, "photos-manage-it-1366")
