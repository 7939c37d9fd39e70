"""The bot trap in a real browser: an image or another site's link to it bans nobody, and the page's
own hidden link, followed, refuses that browser alone (with a page that says why, in its language).
"""

import pytest

from conet.core.models import BlockedClient

pytestmark = pytest.mark.browser

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"
CLASSMATE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36"
GERMAN = {"extra_http_headers": {"Accept-Language": "de"}}


def test_an_image_or_another_sites_link_to_the_trap_bans_nobody(
    transactional_db, new_page, base_url
):
    page = new_page(user_agent=PHONE)
    page.goto("/")
    # The reader's own valid link, the worst a third party could get hold of.
    href = base_url + page.get_attribute("a.trap", "href")

    page.evaluate(
        """href => new Promise(done => {
            const image = new Image();
            image.onload = image.onerror = done;
            image.src = href;
        })""",
        href,
    )
    page.evaluate("href => fetch(href, {mode: 'no-cors'}).catch(() => null)", href)

    def other_site(route):
        route.fulfill(
            content_type="text/html",
            body=f'<img src="{href}"><a id="go" href="{href}">Free prizes</a>',
        )

    page.route("http://elsewhere.example/**", other_site)
    page.goto("http://elsewhere.example/")
    page.wait_for_load_state("load")
    with page.expect_navigation() as followed:
        page.click("#go")
    assert followed.value.status == 404

    assert page.goto("/").status == 200
    assert not BlockedClient.objects.exists()


def test_following_the_pages_own_hidden_link_refuses_that_browser_only(transactional_db, new_page):
    page = new_page(user_agent=PHONE, viewport={"width": 390, "height": 844}, **GERMAN)
    page.goto("/")
    with page.expect_navigation():
        page.eval_on_selector("a.trap", "link => link.click()")
    assert page.locator("h1").inner_text() == "Zugriff verweigert"
    assert "Dieses Gerät ist einem Link gefolgt" in page.content()
    assert "Die Sperre endet in" in page.content()
    page.screenshot(path="/tmp/i17-trap-blocked-de-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="/tmp/i17-trap-blocked-de-1366.png", full_page=True)
    assert page.goto("/").status == 403

    # Another phone on the same school Wi-Fi (same address) goes on.
    classmate = new_page(user_agent=CLASSMATE, **GERMAN)
    assert classmate.goto("/").status == 200
    assert BlockedClient.objects.get().user_agent == PHONE
