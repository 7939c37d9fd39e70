"""No stored script runs anywhere: the XSS corpus (tests/e2e/xss_corpus.py) in every text field
of the demo, every kind of page rendered in Chromium with DEBUG on and the CSP only reported.

The demo is loaded through its services, then every prose field of every row (network, city,
partnership and focus area, plan sections, actions, objectives and indicators, stakeholders,
meetings and agenda items, practices, workshop cards and proposals, consultation statements,
monitoring areas, exchange requests and profiles, the activity that notifications show, …) is
overwritten with payloads. One URL per URL pattern, as the crawl finds them for a visitor and for
members, is opened in the browser, served by uvicorn so that the live board and the projector run
with their WebSocket; the maps' popups and tooltips are opened; a phone joins a workshop under a
payload name. On every page: no dialog opened, `window.__xss` unset, no element that a payload
would bring (an inline handler, a `javascript:` address, `srcdoc`, a CSS expression, a script,
frame or object holding a payload) and no Django template evaluated from stored text.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from conet.accounts.models import User
from conet.core.demo import run_demo
from conet.workshops.models import Workshop
from tests.crawl import crawl
from tests.e2e.xss_corpus import PAYLOADS, fill_every_text_field
from tests.monitoring.conftest import build_city
from tests.workshops.live import served

# Escaping is the templates' work, not the database's: run once, in the SQLite run (pyproject `once`).
pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]

MEMBERS = ["coordinator@conet.example", "palermo@conet.example", "admin@conet.example"]
# A monitoring map with shapes drawn (the demo's areas have none): the tests' city of ten areas.
MAPS = ["/en/cities/testville/monitoring/?layer=index:status&period=2021"]

MAP_ELEMENTS = "#monitoring-map, #partner-map, #practice-map"

# Defined in every page before its own scripts run; returns what a payload left under `root`.
CHECK = """window.__conetInjected = function (root) {
    const found = [];
    const describe = el => el.outerHTML.slice(0, 160);
    for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        // Data for the page's scripts, written by json_script, which escapes < > &.
        if (tag === 'script' && el.type === 'application/json' && !el.textContent.includes('<'))
            continue;
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
            if (name.startsWith('on')) found.push('handler: ' + describe(el));
            if (name === 'srcdoc') found.push('srcdoc: ' + describe(el));
            if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(name)
                && value.startsWith('javascript:')) found.push('javascript: ' + describe(el));
            if (name === 'style' && value.includes('expression(')) found.push('css: ' + describe(el));
        }
        if (['script', 'iframe', 'object', 'embed', 'frame', 'base', 'style']
            .includes(tag) && /__xss|alert\\(/.test(el.outerHTML)) found.push('element: ' + describe(el));
    }
    const text = root.innerText || root.textContent || '';
    if (/14ZZ|ZZ20\\d\\dZZ/.test(text)) found.push('template evaluated: ' + text.slice(0, 80));
    if (window.__xss !== undefined) found.push('ran: window.__xss=' + window.__xss);
    return found;
};"""

# Tooltips and popups are drawn only on hover or click: open each in turn and look inside.
OPEN_MAP_TEXT = """() => {
    const found = [];
    const shapes = [...document.querySelectorAll('.leaflet-interactive, .leaflet-marker-icon')];
    for (const el of shapes.slice(0, 40)) {
        el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 1, clientY: 1}));
        el.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1}));
        for (const box of document.querySelectorAll('.leaflet-popup, .leaflet-tooltip'))
            found.push(...window.__conetInjected(box));
    }
    return {shapes: shapes.length, found};
}"""


@pytest.fixture
def xss_settings(settings):
    # As a developer sees it: DEBUG on, the CSP reported but not enforced, so only the escaping
    # stands between a payload and the page.
    settings.DEBUG = True
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = (
        settings.CONTENT_SECURITY_POLICY or settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    )
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONET_EMBEDDINGS = "none"


def _pages_by_role() -> dict[str | None, dict[str, str]]:
    """One URL per pattern for a visitor, then for each member the patterns not seen before."""
    visitor = crawl(Client(), "/", per_route=1)
    assert [v for v in visitor.visits.values() if v.status >= 500] == []
    seen = visitor.one_per_pattern()
    pages = {None: {**seen, **{url: url for url in MAPS}}}
    for email in MEMBERS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        member = crawl(client, "/en/dashboard/", per_route=1)
        assert [v for v in member.visits.values() if v.status >= 500] == [], email
        chosen = member.one_per_pattern()
        pages[email] = {pattern: url for pattern, url in chosen.items() if pattern not in seen}
        seen = {**seen, **chosen}
    return pages


def _session_for(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value


class Reader:
    """A browser context for one role that opens pages and keeps what ran or landed on them."""

    def __init__(self, browser, site: str, email: str | None):
        self.context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(10_000)
        self.context.add_init_script(CHECK)
        if email:
            self.context.add_cookies(
                [{"name": "sessionid", "value": _session_for(email), "url": site}]
            )
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        self.who = email or "visitor"
        self.found: dict[str, list[str]] = {}
        self.map_shapes = 0

    def look(self, url: str | None = None) -> None:
        page = self.page
        if url is not None:
            response = page.goto(url, wait_until="load")
            assert response.status < 500, url
        if page.locator(MAP_ELEMENTS).count():
            page.wait_for_selector(".map[data-ready=true]", state="attached")
        opened = page.evaluate(OPEN_MAP_TEXT)
        self.map_shapes += opened["shapes"]
        problems = page.evaluate("window.__conetInjected(document)") + opened["found"]
        problems += [f"dialog: {message}" for message in self.dialogs]
        self.dialogs.clear()
        if problems:
            self.found[f"{self.who} {page.url}"] = list(dict.fromkeys(problems))


def test_the_check_sees_a_payload_that_lands(browser):
    # The detector itself, so that an empty result below means something.
    context = browser.new_context()
    context.add_init_script(CHECK)
    page = context.new_page()
    page.set_content("<main>" + "".join(PAYLOADS[1:3] + PAYLOADS[9:10]) + "</main>")
    found = page.evaluate("window.__conetInjected(document)")
    context.close()
    assert any(f.startswith("handler:") for f in found)
    assert any(f.startswith("javascript:") for f in found)
    assert any(f.startswith("ran:") for f in found)


def test_no_stored_payload_runs_or_lands_on_any_page(xss_settings, browser):
    run_demo()
    build_city(10)
    filled = fill_every_text_field()
    cache.clear()  # rendered Markdown is cached per text
    assert len(filled) > 100
    pages = _pages_by_role()
    assert sum(map(len, pages.values())) > 60
    # Each workshop's board and projector (one has the demo's cards, one is about to run live).
    for workshop in Workshop.objects.all():
        for view in ["board", "projector"]:
            url = f"/en/workshops/{workshop.pk}/{view}/"
            pages["admin@conet.example"][url] = url
    joinable = [w.code for w in Workshop.objects.exclude(status="finished") if w.code]
    assert joinable

    found: dict[str, list[str]] = {}
    shapes = 0
    with served() as port:
        site = f"http://127.0.0.1:{port}"
        for email, urls in pages.items():
            reader = Reader(browser, site, email)
            for url in urls.values():
                reader.look(url)
            found |= reader.found
            shapes += reader.map_shapes
            reader.context.close()

        phone = Reader(browser, site, None)
        for code in joinable:
            phone.page.goto(f"/en/w/{code}/")
            phone.page.locator("main input[type=text]").first.fill(PAYLOADS[6][:60])
            with phone.page.expect_navigation():
                phone.page.get_by_role("button", name="Join").click()
            phone.look()
        found |= phone.found
        phone.context.close()

    assert found == {}, "\n".join(f"{url}: {problems}" for url, problems in found.items())
    assert shapes >= 8 + 11  # testville's areas with a shape and the network's partner cities
