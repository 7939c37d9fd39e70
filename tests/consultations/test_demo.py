"""The Ballarò demo: a few dozen statements, a few hundred participants, two or three groups."""

from datetime import date

from conet.consultations.demo import PARTICIPANTS, STATEMENTS, load_consultation_demo
from conet.consultations.models import Consultation
from conet.core.models import ActivityEvent
from conet.networks.demo import load_demo


def test_demo_has_three_groups_with_common_ground_and_loads_once(db):
    load_demo()
    assert load_consultation_demo() is True
    consultation = Consultation.objects.get(slug="ballaro")
    assert consultation.city.slug == "palermo" and consultation.network.slug == "conet"
    assert consultation.statements.filter(status="accepted").count() == len(STATEMENTS) >= 24
    assert consultation.participants.count() == PARTICIPANTS
    result = consultation.result
    assert result.group_count in (2, 3)
    assert result.participants_placed >= 0.9 * PARTICIPANTS
    common = {text for text, stances in STATEMENTS if set(stances) == {1}}
    agreed = {
        consultation.statements.get(pk=item["statement"]).text
        for item in result.data["consensus"]
        if item["direction"] == "agree"
    }
    assert len(common & agreed) >= len(common) - 1
    assert all(group["representative"] for group in result.data["groups"])

    counts = (Consultation.objects.count(), consultation.votes_cast)
    assert load_consultation_demo() is False
    consultation.refresh_from_db()
    assert (Consultation.objects.count(), consultation.votes_cast) == counts


def test_ballaros_statements_lead_to_plan_actions_with_progress(db):
    from conet.actionplans.demo import load_actionplans_demo
    from conet.consultations.demo import link_ballaro_story, load_consultation_demo
    from conet.consultations.models import Statement
    from conet.networks.demo import load_demo

    load_demo()
    load_consultation_demo()
    load_actionplans_demo()
    assert link_ballaro_story() is True
    assert link_ballaro_story() is False  # loading twice changes nothing
    linked = Statement.objects.filter(consultation__slug="ballaro-2009", actions__isnull=False)
    assert linked.count() == 3
    assert {a.progress for s in linked for a in s.actions.all()} == {100, 35, 50}
    # The story reads in order: the consultation closed before the actions it led to were written
    # or started; the one open now, for residents to vote on, led to nothing yet.
    history = Consultation.objects.get(slug="ballaro-2009")
    assert not history.is_open and history.result.group_count in (2, 3)
    for statement in linked:
        for action in statement.actions.all():
            assert history.closes_at.date() < action.start_date
    assert Consultation.objects.get(slug="ballaro").is_open
    assert not Statement.objects.filter(consultation__slug="ballaro", actions__isnull=False)
    # …and the feed says the links were made when the actions were written, not today.
    linked_on = ActivityEvent.objects.filter(kind="consultation.statement_linked")
    assert {event.created_at.date() for event in linked_on} == {date(2010, 1, 20)}
