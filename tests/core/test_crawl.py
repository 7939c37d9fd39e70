"""No dead link anywhere in the demo: every link a visitor can reach from the home page, and each
demo role from their dashboard, answers below 400.

The demo is loaded once for the module (as `conet demo` does, meaning search off); each crawl
visits every URL pattern at most three times (tests/crawl.py).
"""

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from conet.accounts.models import User
from conet.core.demo import run_demo
from tests.crawl import crawl, report

ROLES = [
    "admin@conet.example",  # platform admin
    "coordinator@conet.example",  # network coordinator
    "weeber@conet.example",  # lead expert
    "expert@conet.example",  # expert
    "palermo@conet.example",  # city coordinator
    "lsg.palermo@conet.example",  # Local Support Group member
    "albaiulia@conet.example",  # city coordinator of a city without a public plan
    "sofia@conet.example",  # city coordinator with an open support request
    "giulia.ferrante@conet.example",  # an expert with a profile
]

pytestmark = pytest.mark.once


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(CONET_EMBEDDINGS="none"):
        run_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_every_link_a_visitor_reaches_from_the_home_page_answers(demo, client):
    result = crawl(client, "/en/")
    assert len(result.visits) > 50
    assert result.dead() == [], "dead links for a visitor:\n" + report(result.dead())


@pytest.mark.django_db
@pytest.mark.parametrize("email", ROLES)
def test_every_link_a_member_reaches_from_the_dashboard_answers(demo, client, email):
    client.force_login(User.objects.get(email=email))
    result = crawl(client, "/en/dashboard/")
    assert len(result.visits) > 50
    assert result.dead() == [], f"dead links for {email}:\n" + report(result.dead())
