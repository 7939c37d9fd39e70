"""Issue 12: a visitor never follows a link into a 404 from the network, city, plan and meeting
pages of the demo; a city without a public plan shows what exists instead."""

import re

import pytest
from django.urls import reverse

from conet.actionplans.demo import load_actionplans_demo
from conet.consultations.demo import load_consultation_demo
from conet.exchange.demo import load_exchange_demo
from conet.meetings.demo import load_meetings_demo
from conet.meetings.models import Meeting
from conet.networks.demo import load_demo
from conet.networks.models import City

MAIN = re.compile(r"<main\b.*?</main>", re.S)
HREF = re.compile(r'href="(/[^"#]*)')


@pytest.fixture
def demo(db):
    load_demo()
    load_actionplans_demo()
    load_meetings_demo()
    load_consultation_demo()
    load_exchange_demo()


def _links(response) -> set[str]:
    main = MAIN.search(response.content.decode())
    return set(HREF.findall(main.group(0))) if main else set()


def test_every_link_on_the_network_city_plan_and_meeting_pages_opens_for_a_visitor(demo, client):
    pages = [
        "/en/",
        "/en/networks/conet/",
        "/en/cities/",
        "/en/meetings/",
        "/en/meetings/?when=past",
    ]
    pages += [city.get_absolute_url() for city in City.objects.all()]
    pages += [meeting.get_absolute_url() for meeting in Meeting.objects.filter(is_public=True)]
    pages += [reverse("actionplans:plan", args=["conet", "palermo"])]
    dead = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for link in _links(response):
            if link.startswith("/trap/") or link.endswith(
                (".pdf", ".docx", ".csv", ".ics", ".zip")
            ):
                continue
            status = client.get(link).status_code
            if status >= 400:
                dead.append(f"{page} → {link} ({status})")
    assert dead == []


def test_a_city_without_a_public_plan_shows_what_exists_instead_of_a_link(demo, client):
    body = client.get("/en/networks/conet/").content.decode()
    assert 'href="/en/networks/conet/palermo/plan/"' in body
    assert 'href="/en/networks/conet/alba-iulia/plan/"' not in body
    assert 'href="/en/networks/conet/berlin/plan/"' not in body
    assert "Local Action Plan in preparation (in consultation)" in body
    assert "No Local Action Plan yet" in body
    assert "Local Support Group of 6 members" in body
    city = client.get("/en/cities/alba-iulia/").content.decode()
    assert "Local Action Plan in preparation" in city
    assert 'href="/en/networks/conet/alba-iulia/plan/"' not in city


def test_the_people_who_work_on_a_plan_in_preparation_get_the_link(demo, client):
    from conet.accounts.models import User

    client.force_login(User.objects.get(email="albaiulia@conet.example"))
    body = client.get("/en/networks/conet/").content.decode()
    assert 'href="/en/networks/conet/alba-iulia/plan/"' in body


def test_palermos_plan_leads_to_the_ballaro_consultation(demo, client):
    body = client.get(reverse("actionplans:plan", args=["conet", "palermo"])).content.decode()
    assert 'id="residents-consultations"' in body
    # The Italian consultation opens in Italian, whatever the language of the plan page.
    assert 'href="/it/consultations/ballaro/"' in body
