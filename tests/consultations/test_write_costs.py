"""What a vote costs the database (issue #15: a write in at most 8 queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.consultations.models import Consultation, Vote
from tests.factories import ConsultationFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_a_vote_takes_at_most_seven_queries_and_a_changed_vote_replaces_the_old(city, client):
    consultation = ConsultationFactory(city=city, slug="ballaro")
    first = StatementFactory(consultation=consultation, number=0, text="More benches")
    second = StatementFactory(consultation=consultation, number=1, text="Fewer cars")
    url = reverse("consultations:cast_vote", args=[consultation.slug])
    assert client.post(url, {"statement": first.pk, "value": "1"}).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {"statement": second.pk, "value": "-1"}).status_code == 302
    # The consultation, the statement, the participant, the vote (one INSERT … ON CONFLICT), the
    # count of votes cast — and the savepoint pair around the service's transaction.
    assert len(queries.captured_queries) <= 7, [q["sql"][:80] for q in queries.captured_queries]

    assert client.post(url, {"statement": second.pk, "value": "0"}).status_code == 302
    votes = Vote.objects.filter(statement__consultation=consultation)
    assert sorted(votes.values_list("statement__number", "value")) == [(0, 1), (1, 0)]
    assert Consultation.objects.get(pk=consultation.pk).votes_cast == 3
