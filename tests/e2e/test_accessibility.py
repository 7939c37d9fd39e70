"""axe-core on every page of the demo, at 1366 px and at 390 px: no serious or critical violation;
and no page scrolls sideways on a 360 px phone.

The pages are the crawl's (tests/crawl.py): one URL per URL pattern reachable by a visitor from the
home page (the API docs included), then, for the members' roles, each pattern a visitor does not
reach. axe-core is vendored in tests/e2e/vendor (see its README).
"""

from pathlib import Path

import pytest
from django.test import Client

from conet.accounts.models import User
from conet.core.demo import run_demo
from tests.crawl import crawl

pytestmark = [pytest.mark.browser, pytest.mark.once]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WIDTHS = [(1366, 900), (390, 844)]
PHONE_NARROW = 360
BLOCKING = {"serious", "critical"}
# Members who see pages a visitor does not: the network coordinator (network tools), a city
# coordinator (the city's plan, group and workshops) and the platform admin (everything else).
MEMBERS = ["coordinator@conet.example", "palermo@conet.example", "admin@conet.example"]


@pytest.fixture
def demo(transactional_db):
    # Once for every role: the live server needs a transactional database, emptied after each test.
    run_demo()


def _pages_by_role() -> dict[str | None, dict[str, str]]:
    """One URL per pattern for a visitor, then for each member the patterns not seen before."""
    seen = crawl(Client(), "/en/").one_per_pattern()
    pages = {None: seen}
    for email in MEMBERS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        member = crawl(client, "/en/dashboard/").one_per_pattern()
        pages[email] = {pattern: url for pattern, url in member.items() if pattern not in seen}
        seen = {**seen, **member}
    return pages


def _signed_in_context(new_page, email: str | None, live_server):
    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    if email:
        client = Client()
        client.force_login(User.objects.get(email=email))
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


def _check(page, url: str) -> list[str]:
    problems = []
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
    page.goto(url, wait_until="load")
    if "/api/v1/docs" in url:
        page.wait_for_selector("#swagger-ui .information-container")
    page.add_script_tag(path=str(AXE))
    for width, height in WIDTHS:
        # The page adapts to the new width as a phone's browser would (CSS and matchMedia).
        page.set_viewport_size({"width": width, "height": height})
        # Two frames for the page's own answer to the new width (matchMedia, ResizeObserver),
        # then let the transitions that started end (a colour half-way is no colour).
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        for violation in violations:
            if violation["impact"] not in BLOCKING:
                continue
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            problems.append(
                f"{url} at {width}px: {violation['impact']} {violation['id']} "
                f"({len(violation['nodes'])}×) {targets}"
            )
    page.set_viewport_size({"width": PHONE_NARROW, "height": 780})
    overflow = page.evaluate("document.scrollingElement.scrollWidth")
    if overflow > PHONE_NARROW + 1:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .slice(0, 3)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (typeof e.className === 'string' && e.className.trim()
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""",
            PHONE_NARROW,
        )
        problems.append(f"{url} at {PHONE_NARROW}px: page is {overflow}px wide ({', '.join(wide)})")
    return problems


def test_no_serious_accessibility_violation_and_no_sideways_scroll(demo, new_page, live_server):
    pages = _pages_by_role()
    assert any("/api/v1/docs" in url for url in pages[None].values())
    problems = []
    for email, urls in pages.items():
        page = _signed_in_context(new_page, email, live_server)
        for url in sorted(urls.values()):
            problems += [f"[{email or 'visitor'}] {problem}" for problem in _check(page, url)]
    checked = sum(len(urls) for urls in pages.values())
    assert problems == [], f"{checked} pages checked; problems:\n" + "\n".join(problems)
