"""What a card costs the database (issue #15: a write in at most 8 queries), and that the query
saved does not change what a card sent twice gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conet.workshops import services
from conet.workshops.models import Card, Phase
from tests.workshops.factories import join, open_phase

pytestmark = pytest.mark.django_db


def test_a_card_takes_at_most_eight_queries(workshop, tables):
    open_phase(workshop, "critique")
    participant, _ = join(workshop, name="Ana", table=tables[0])
    services.post_card(workshop, participant=participant, text="first", client_id="c0")
    with CaptureQueriesContext(connection) as queries:
        card, created = services.post_card(
            workshop, participant=participant, text="second", client_id="c1"
        )
    assert created and card.text == "second"
    # Lock the workshop, the open phase (with the resend check), the participant, the card, the
    # event's number and the event — and the test's own savepoint around the service's atomic.
    assert len(queries.captured_queries) <= 8, [q["sql"][:80] for q in queries.captured_queries]


def test_a_card_sent_again_is_answered_with_the_stored_one_even_after_its_phase_closed(
    workshop, tables
):
    phase = open_phase(workshop, "critique")
    participant, _ = join(workshop, name="Ana", table=tables[0])
    card, created = services.post_card(
        workshop, participant=participant, text="kept", client_id="same"
    )
    again, created_again = services.post_card(
        workshop, participant=participant, text="kept", client_id="same"
    )
    assert created and not created_again and again.pk == card.pk

    Phase.objects.filter(pk=phase.pk).update(state=Phase.State.CLOSED)
    late, created_late = services.post_card(
        workshop, participant=participant, text="kept", client_id="same"
    )
    assert not created_late and late.pk == card.pk
    assert Card.objects.filter(workshop=workshop, client_id="same").count() == 1
