"""Ballot stuffing (issue 17, finding 4) in the browser: a phone in Italian votes in place while
consultations.js finds the first vote's proof of work unseen; the server admits it as such."""

import re

import pytest
from playwright.sync_api import expect

from conet.consultations import admission
from conet.consultations.models import Participant
from conet.core.languages import in_language
from tests.factories import ConsultationFactory, StatementFactory

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "it-IT",
    "extra_http_headers": {"Accept-Language": "it"},
}


@pytest.fixture
def consultation(transactional_db, city):
    consultation = ConsultationFactory(
        city=city, slug="ballaro", question="Ballarò domani?", language="it"
    )
    StatementFactory(consultation=consultation, number=0, text="Più panchine in piazza")
    StatementFactory(consultation=consultation, number=1, text="Un autobus notturno")
    return consultation


def test_a_phone_in_italian_votes_in_place_with_the_proof_of_work_unseen(
    consultation, new_page, settings
):
    settings.CONET_CONSULTATION_PROOF_BITS = 16  # what a real phone pays
    page = new_page(**PHONE)
    sent = []
    page.on(
        "request",
        lambda request: sent.append(request.post_data or "") if request.method == "POST" else None,
    )
    page.goto(in_language(consultation.get_absolute_url(), "it"))
    card = page.locator("#statement")
    expect(card.locator("button.vote-agree")).to_have_text("D'accordo")
    page.evaluate("window.conetNoReload = 'still here'")
    text_before = page.locator("main").inner_text()

    first = card.get_attribute("data-statement")
    card.locator("button.vote-agree").click()
    expect(card).not_to_have_attribute("data-statement", first)
    # In place, no alert, and nothing on the page speaks of tickets or work.
    assert page.evaluate("window.conetNoReload") == "still here"
    expect(card.locator("[role=alert]")).to_have_count(0)
    assert "JavaScript" not in text_before and "proof" not in text_before.lower()

    # The first vote carried the page's ticket and a proof that holds; the second neither.
    ticket = re.search(r'name="ticket"\r\n\r\n([^\r]+)', sent[0]).group(1)
    proof = re.search(r'name="proof"\r\n\r\n(\d+)', sent[0]).group(1)
    assert admission.proof_holds(ticket, proof, 16)
    card.locator("button.vote-disagree").click()
    expect(card.locator(".statement-text")).to_have_text(re.compile("Grazie"))
    assert 'name="ticket"' not in sent[1]
    participant = Participant.objects.get(consultation=consultation)
    assert participant.admission == Participant.Admission.PROOF
    assert participant.votes.count() == 2
