"""The Ballarò demo: a few dozen statements, a few hundred participants, two or three groups."""

from conet.consultations.demo import PARTICIPANTS, STATEMENTS, load_consultation_demo
from conet.consultations.models import Consultation
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
