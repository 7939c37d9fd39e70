"""The exchange demo: Sofia's open request, Palermo's visited one with both reports; loads once."""

from conet.actionplans.demo import load_actionplans_demo
from conet.exchange.demo import EXPERTS, load_exchange_demo
from conet.exchange.models import (
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    TransferItem,
    Visit,
    VisitReport,
)
from conet.networks.demo import load_demo


def _counts():
    models = [ExpertProfile, SupportRequest, ExpertInvitation, Visit, VisitReport, TransferItem]
    return [model.objects.count() for model in models]


def test_the_demo_walks_the_scheme_and_loads_once(db):
    load_demo()
    load_actionplans_demo()
    created = load_exchange_demo()
    assert created == {"experts": len(EXPERTS), "requests": 2}
    sofia = SupportRequest.objects.get(partnership__city__slug="sofia")
    assert sofia.status == "open" and sofia.language == "bg"
    assert sofia.invitations.get().status == "invited"
    palermo = SupportRequest.objects.get(partnership__city__slug="palermo")
    assert palermo.status == "closed"
    visit = palermo.visits.get()
    assert visit.status == "done" and visit.meeting.kind == "site_visit"
    assert {report.side for report in visit.reports.all()} == {"host", "expert"}
    items = TransferItem.objects.filter(report__visit=visit).select_related("action__plan")
    assert items.count() == 3
    assert {item.action.plan.partnership_id for item in items} == {palermo.partnership_id}
    assert len({p.language for p in ExpertProfile.objects.all()}) == len(EXPERTS)

    before = _counts()
    assert load_exchange_demo() == {"experts": 0, "requests": 0}
    assert _counts() == before


def test_without_the_network_demo_nothing_is_made(db):
    assert load_exchange_demo() == {"experts": 0, "requests": 0}
    assert ExpertProfile.objects.count() == 0


def test_palermos_visit_is_dated_in_2010_and_reads_in_the_readers_language(db):
    from django.utils import translation

    from conet.core.activity import describe
    from conet.core.models import ActivityEvent

    load_demo()
    load_actionplans_demo()
    load_exchange_demo()
    palermo = SupportRequest.objects.get(partnership__city__slug="palermo")
    assert palermo.created_at.year == 2010
    events = ActivityEvent.objects.filter(data__city="Palermo", kind__startswith="exchange.")
    assert {event.created_at.year for event in events} == {2010}
    planned = events.get(kind="exchange.visit_planned")
    report = events.filter(kind="exchange.report_filed").get(data__side="visiting expert")
    with translation.override("de"):
        assert "16. November 2010" in describe(planned)
        assert "besuchende Expertin" in describe(report)  # the side is translated, not English
    with translation.override("en"):
        assert "Nov. 16, 2010" in describe(planned)


def test_sofias_open_request_asks_for_dates_ahead_that_its_invited_expert_can_make(db):
    from django.utils import timezone

    load_demo()
    load_actionplans_demo()
    load_exchange_demo()
    sofia = SupportRequest.objects.get(partnership__city__slug="sofia")
    assert sofia.preferred_start > timezone.localdate()
    ivan = sofia.invitations.get().expert
    assert any(
        slot.starts_on <= sofia.preferred_start and sofia.preferred_end <= slot.ends_on
        for slot in ivan.availabilities.all()
    )
