"""A Future Workshop in real browsers over real WebSockets: the facilitator opens the workshop,
two phones join by code, write cards and put dots, the facilitator leads through critique,
fantasy and implementation, and downloads the protocol as a PDF.

pytest-django's live server speaks WSGI (no WebSockets), so the site runs on uvicorn in a thread
here, on the same test database.
"""

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from conet.core.languages import in_language
from conet.workshops.models import Card, Dot, Proposal, ProposalHelper
from tests.e2e.conftest import ACTION_TIMEOUT_MS
from tests.factories import CityFactory, MembershipFactory, NetworkFactory, PartnershipFactory
from tests.workshops.factories import TableFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(served_site):
    return served_site


@pytest.fixture
def context_for(served_page):
    return served_page


def _coordinator_and_workshop():
    from conet.accounts.models import Role

    network = NetworkFactory()
    city = CityFactory(name="Alba Iulia")
    PartnershipFactory(network=network, city=city)
    user = MembershipFactory(role=Role.CITY_COORDINATOR, network=None, city=city).user
    workshop = WorkshopFactory(
        city=city, created_by=user, title="Lumea Nouă", guiding_question="How should Lumea Nouă be?"
    )
    workshop.facilitators.add(user)
    TableFactory(workshop=workshop, name="Blue")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return workshop, client.cookies["sessionid"].value


def _join(page, code, name):
    page.goto("/join/")
    page.get_by_label("Workshop code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")


def _write(page, text):
    page.locator("#card-text").fill(text)
    page.get_by_role("button", name="Pin the card").click()


def test_a_workshop_through_every_phase_in_three_browsers(context_for, repo_root):
    workshop, session = _coordinator_and_workshop()
    facilitator = context_for(session=session)
    facilitator.goto(f"/workshops/{workshop.pk}/")
    code = facilitator.locator("#join-code").inner_text().strip()
    assert code == workshop.code
    facilitator.get_by_role("button", name="Open the live board").click()
    expect(facilitator.locator("#connection")).to_have_text("Live")

    ana, bogdan = context_for(viewport=PHONE), context_for(viewport=PHONE)
    _join(ana, code, "Ana")
    _join(bogdan, code, "Bogdan")
    expect(ana.locator("#notice")).to_contain_text("not started")

    # Critique: the facilitator opens it; both phones write.
    facilitator.locator("[data-open-phase=critique]").click()
    expect(ana.locator("#write")).to_be_visible()
    _write(ana, "Străzile sunt întunecate noaptea")
    _write(bogdan, "No place for children to play")
    _write(bogdan, "Buses stop running at 9 pm")
    for page in (facilitator,):
        expect(page.locator(".board-card")).to_have_count(3)
    expect(ana.locator(".board-card")).to_have_count(3)

    # Clustering: one card by keyboard ("Move to"), one by drag and drop.
    facilitator.get_by_role("button", name="Clustering").click()
    facilitator.locator("#new-cluster-title").fill("Safety and light")
    facilitator.locator("#new-cluster select[name=table]").select_option(label="Blue")
    facilitator.get_by_role("button", name="Add cluster").click()
    cluster = facilitator.locator(".board-cluster[data-cluster]:not(.unsorted)").first
    expect(cluster.locator(".cluster-title-input")).to_have_value("Safety and light")
    card = facilitator.locator(".board-card", has_text="întunecate")
    card.locator("select.move-to").select_option(label="Safety and light")
    expect(cluster.locator(".board-card")).to_have_count(1)
    facilitator.locator(".board-card", has_text="Buses").drag_to(
        cluster, source_position={"x": 8, "y": 8}
    )
    expect(cluster.locator(".board-card")).to_have_count(2)
    expect(ana.locator(".board-cluster:not(.unsorted) .board-card")).to_have_count(2)

    # Dot voting within the budget.
    facilitator.get_by_role("button", name="Dot voting").click()
    for phone in (ana, bogdan):
        phone.locator(".board-cluster:not(.unsorted) .dot-add").click()
    expect(facilitator.locator(".dot-count").first).to_have_text(re.compile(r"^2 dots"))
    expect(ana.locator("#dots-left")).to_contain_text("2 / 3")
    facilitator.get_by_role("button", name="Choose for the next phase").click()
    expect(facilitator.locator(".board-cluster.is-chosen")).to_have_count(1)

    # Fantasy: the chosen critique is shown; a utopia answers it.
    facilitator.locator("[data-open-phase=fantasy]").click()
    expect(ana.locator("#card-prompt")).to_have_text("It would be nice if…")
    expect(ana.locator("#chosen")).to_contain_text("Safety and light")
    ana.locator("#responds-to").select_option(label="Safety and light")
    _write(ana, "Ar fi frumos dacă parcul ar fi luminat")
    expect(facilitator.locator(".board-card", has_text="parcul")).to_have_count(1)
    facilitator.locator("#new-cluster-title").fill("A lit park")
    facilitator.locator("#new-cluster select[name=table]").select_option(label="Blue")
    facilitator.get_by_role("button", name="Add cluster").click()
    facilitator.locator(".board-card", has_text="parcul").locator("select.move-to").select_option(
        label="A lit park"
    )
    facilitator.get_by_role("button", name="Dot voting").click()
    bogdan.locator(".board-cluster:not(.unsorted) .dot-add").click()
    expect(facilitator.locator(".dot-count").first).to_have_text(re.compile(r"^1 dots"))

    # Implementation: a proposal, and the other phone signs up to help.
    facilitator.locator("[data-open-phase=implementation]").click()
    expect(ana.locator("#write")).to_be_hidden()
    ana.get_by_text("Write a proposal").click()
    ana.locator("#p-title").fill("Light the park")
    ana.locator("#p-cluster").select_option(label="A lit park")
    ana.locator("#p-first").fill("Ask the city for three lamps")
    ana.get_by_role("button", name="Save the proposal").click()
    expect(bogdan.locator(".proposal")).to_contain_text("Light the park")
    bogdan.get_by_role("button", name="I will help").click()
    expect(facilitator.locator(".proposal")).to_contain_text("1 helpers")

    assert Card.objects.filter(workshop=workshop).count() == 4
    assert Card.objects.get(text__contains="parcul").responds_to.title == "Safety and light"
    assert sum(Dot.objects.values_list("count", flat=True)) == 3
    assert ProposalHelper.objects.filter(proposal=Proposal.objects.get()).count() == 1

    # The protocol, as a PDF.
    facilitator.goto(f"/workshops/{workshop.pk}/protocol/")
    with facilitator.expect_download() as download:
        facilitator.get_by_role("link", name=re.compile("PDF")).click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_phone_writing_too_fast_is_told_so_in_its_language_and_its_card_is_posted_later(
    browser, site, settings, monkeypatch
):
    """Past the limit the server refuses the card; the phone keeps it, says why (in Italian here)
    and sends it again by itself once the window has ended: nothing typed is lost."""
    from django.urls import reverse

    from conet.workshops import limits
    from tests.workshops.factories import join, open_phase

    settings.CONET_BOARD_CARDS_PER_MINUTE = 2
    # A window of three seconds instead of a minute, so that the test does not wait a minute.
    monkeypatch.setitem(limits.LIMITS, "card", ("CONET_BOARD_CARDS_PER_MINUTE", 3))
    workshop, _session = _coordinator_and_workshop()
    open_phase(workshop, "critique")
    _participant, token = join(workshop, name="Giulia")
    context = browser.new_context(
        base_url=site, viewport=PHONE, locale="it-IT", extra_http_headers={"Accept-Language": "it"}
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_cookies([{"name": f"conet_workshop_{workshop.pk}", "value": token, "url": site}])
    phone = context.new_page()
    phone.goto(in_language(reverse("workshops:participant_board", args=[workshop.code]), "it"))
    expect(phone.locator("#connection")).to_have_text("In diretta")
    for text in ("Strade buie", "Niente panchine", "Autobus rari"):
        phone.locator("#card-text").fill(text)
        phone.locator("#card-form button[type=submit]").click()

    expect(phone.locator("#notice")).to_contain_text(
        "Stai scrivendo più in fretta di quanto serva a un workshop: aspetta qualche secondo."
    )
    expect(phone.locator(".board-card.is-pending")).to_have_count(1)
    expect(phone.locator(".board-card.is-pending")).to_contain_text("Autobus rari")
    # The window ends, the phone sends the card again by itself, and it is stored once.
    expect(phone.locator(".board-card:not(.is-pending)")).to_have_count(3)
    expect(phone.locator(".board-card.is-pending")).to_have_count(0)
    assert sorted(Card.objects.filter(workshop=workshop).values_list("text", flat=True)) == [
        "Autobus rari",
        "Niente panchine",
        "Strade buie",
    ]
    assert (
        phone.evaluate(
            f"JSON.parse(localStorage.getItem('conet-workshop-outbox-{workshop.pk}') || '[]').length"
        )
        == 0
    )
    context.close()


def test_a_card_the_board_refuses_for_good_leaves_the_outbox_and_its_text_returns_to_the_box(
    browser, site
):
    """A card kept from an earlier visit holds a NUL (a broken keyboard app, a script): the board
    refuses it, the phone says so, stops sending it, and gives the resident their words back."""
    from django.urls import reverse

    from tests.workshops.factories import join, open_phase

    workshop, _session = _coordinator_and_workshop()
    open_phase(workshop, "critique")
    _participant, token = join(workshop, name="Ana")
    context = browser.new_context(base_url=site, viewport=PHONE)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_cookies([{"name": f"conet_workshop_{workshop.pk}", "value": token, "url": site}])
    outbox = json.dumps(
        [{"type": "card", "client_id": "nul-1", "ref": "nul-1", "text": "Dark\u0000 streets"}]
    )
    context.add_init_script(
        f"localStorage.setItem('conet-workshop-outbox-{workshop.pk}', {json.dumps(outbox)});"
    )
    phone = context.new_page()
    phone.goto(reverse("workshops:participant_board", args=[workshop.code]))

    expect(phone.locator("#notice")).to_contain_text("control character (such as NUL)")
    expect(phone.locator("#card-text")).to_have_value("Dark streets")
    assert (
        phone.evaluate(
            f"JSON.parse(localStorage.getItem('conet-workshop-outbox-{workshop.pk}')).length"
        )
        == 0
    )
    expect(phone.locator(".board-card")).to_have_count(0)
    # Sent again as it now stands, it is pinned.
    phone.locator("#card-form button[type=submit]").click()
    expect(phone.locator(".board-card:not(.is-pending)")).to_have_count(1)
    assert list(Card.objects.filter(workshop=workshop).values_list("text", flat=True)) == [
        "Dark streets"
    ]
    context.close()
