"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

`playwright install` is never used (it downloads browsers); we launch the system Chromium at
/usr/bin/chromium, or wherever CONET_CHROMIUM points. Without it the browser tests skip, except
when CI is set: there a missing browser is a failure, so CI cannot pass without running them.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test.utils import override_settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
# How long a page, a click or an expectation may take. CI runs its SQLite and PostgreSQL suites side
# by side on two cores, where a cold page can take several seconds; a passing test waits no longer
# for a larger limit.
ACTION_TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def _unavailable(reason: str):
    """Skip the test here; fail it in CI, where the browser tests must run."""
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so browser tests may not skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    candidate = os.environ.get("CONET_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


@pytest.fixture(scope="session")
def _plain_http_server_settings():
    # SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server builds its handler,
    # which happens before function-scoped fixtures (such as the autouse one in tests/conftest.py)
    # change settings. So the session-wide live server must start with the redirect already off.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_server_settings, live_server):
    """pytest-django's live server, started over plain HTTP (no redirect to HTTPS)."""
    return live_server


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings):
    # The live server speaks plain HTTP; Secure cookies would not come back to it from a browser
    # that does not treat the host as secure. Needed to sign in or POST (CSRF) through the browser.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    # The demo creates users; the production hasher takes most of a second per password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def _orm_beside_playwright():
    # While Playwright's sync API is started, it keeps an asyncio loop running in this thread, and
    # Django refuses ORM calls made while a loop runs (SynchronousOnlyOperation). The test code here
    # is plain synchronous code that merely shares the thread with Playwright, so the guard does not
    # apply. Set only while tests/e2e runs: subprocesses started by other tests (`check --deploy`)
    # must not inherit it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_orm_beside_playwright):
    """One headless Chromium for the tests in tests/e2e.

    Package scope, not session: Playwright is stopped (and its event loop with it) before the tests
    that follow run, so their ORM calls are not refused.
    """
    path = chromium_path()
    if path is None:
        _unavailable(
            f"Chromium not found at {os.environ.get('CONET_CHROMIUM') or '/usr/bin/chromium'}"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def base_url(live_server):
    """The live server's address, as http://localhost:PORT."""
    return live_server.url


@pytest.fixture
def new_page(browser, base_url):
    """new_page(**context_options) → a page in a fresh browser context (own cookies, viewport).

    Requests to anything but the live server are aborted, so the tests never wait on the internet
    (the map's tiles fail to load; the markers and the rest of the page do not need them).
    """
    contexts = []

    def _block_remote(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("base_url", base_url)
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.route("**/*", _block_remote)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page at 1280×900 in a fresh browser context; page.goto("/path") goes to the live server."""
    return new_page()


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


@pytest.fixture
def served_site(browser):
    """CoNet's ASGI application (HTTP and the board's WebSockets) under uvicorn in a thread: the
    live server of pytest-django speaks no WebSocket."""
    from tests.workshops.live import served

    with served() as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def served_page(browser, served_site):
    """served_page(viewport=None, session=None) → a page on `served_site` in a fresh context,
    signed in with the session key when given."""
    contexts = []

    def make(viewport=None, session=None):
        context = browser.new_context(
            base_url=served_site, viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": served_site}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
