"""The support scheme's writes: what each one changes, who hears about it, and what it refuses."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conet.core.models import ActivityEvent
from conet.exchange import services
from conet.exchange.models import ExpertInvitation, SupportRequest, TransferItem, Visit
from conet.meetings.models import Meeting
from conet.networks.models import CoreTask
from conet.notifications.models import Notification
from tests.exchange.factories import ExpertProfileFactory
from tests.factories import ActionFactory, LocalActionPlanFactory


def _fields(**changes):
    fields = {
        "title": "Neighbourhood table for the old town",
        "project": "Old town table",
        "problem": "Departments plan separately.",
        "know_how": "How to run a neighbourhood table with residents.",
        "languages": "de,en",
        "language": "en",
        "preferred_start": date(2026, 4, 1),
        "preferred_end": date(2026, 4, 30),
    }
    fields.update(changes)
    return fields


def test_posting_a_request_tells_experts_who_work_on_its_core_tasks(partnership, people):
    task = CoreTask.objects.create(network=partnership.network, number=1, names={"en": "Part"})
    other = CoreTask.objects.create(network=partnership.network, number=2, names={"en": "All"})
    fitting = ExpertProfileFactory()
    fitting.core_tasks.set([task])
    elsewhere = ExpertProfileFactory()
    elsewhere.core_tasks.set([other])
    request = services.post_request(
        partnership, by=people["city_coordinator"], core_tasks=[task], **_fields()
    )
    assert request.status == SupportRequest.Status.OPEN
    told = Notification.objects.filter(kind="exchange.request_posted")
    assert [n.recipient_id for n in told] == [fitting.user_id]
    assert ActivityEvent.objects.filter(kind="exchange.request_posted").count() == 1


def test_a_request_needs_a_known_language_and_dates_in_order(partnership, people):
    with pytest.raises(ValidationError) as error:
        services.post_request(partnership, by=people["city_coordinator"], **_fields(languages="xx"))
    assert "languages" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.post_request(
            partnership,
            by=people["city_coordinator"],
            **_fields(preferred_end=date(2026, 3, 1)),
        )
    assert "preferred_end" in error.value.message_dict
    assert SupportRequest.objects.count() == 0


def test_a_request_may_point_only_at_its_own_citys_plan_action(partnership, people):
    foreign = ActionFactory()
    with pytest.raises(ValidationError) as error:
        services.post_request(
            partnership, by=people["city_coordinator"], **_fields(plan_action=foreign)
        )
    assert "plan_action" in error.value.message_dict
    own = ActionFactory(plan=LocalActionPlanFactory(partnership=partnership))
    request = services.post_request(
        partnership, by=people["city_coordinator"], **_fields(plan_action=own)
    )
    assert request.plan_action == own


def test_invitation_then_acceptance_notifies_both_ways_and_matches_the_request(
    support_request, expert_profile, people
):
    coordinator, expert = people["network_coordinator"], people["expert"]
    invitation = services.invite(support_request, expert_profile, by=coordinator)
    assert Notification.objects.get(kind="exchange.invited").recipient == expert
    accepted = services.accept_invitation(
        invitation, by=expert, expected_version=invitation.version, answer="Gladly"
    )
    assert accepted.status == ExpertInvitation.Status.ACCEPTED
    assert accepted.answered_at is not None
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.MATCHED
    told = {n.recipient for n in Notification.objects.filter(kind="exchange.accepted")}
    assert told == {coordinator, people["city_coordinator"]}


def test_declining_tells_who_invited_and_leaves_the_request_open(invitation, people):
    services.decline_invitation(
        invitation, by=people["expert"], expected_version=invitation.version
    )
    invitation.refresh_from_db()
    assert invitation.status == ExpertInvitation.Status.DECLINED
    assert invitation.request.status == SupportRequest.Status.OPEN
    assert (
        Notification.objects.get(kind="exchange.declined").recipient
        == people["network_coordinator"]
    )


def test_planning_a_visit_puts_a_site_visit_meeting_in_the_calendar(accepted, people):
    visit = services.plan_visit(
        accepted.request,
        by=people["network_coordinator"],
        starts_on=date(2026, 4, 14),
        ends_on=date(2026, 4, 16),
        travel="Train to the city",
        agenda="Day 1: walk through the neighbourhood",
    )
    meeting = Meeting.objects.get(pk=visit.meeting_id)
    assert meeting.kind == "site_visit"
    assert meeting.host_city_id == accepted.request.partnership.city_id
    assert meeting.local_starts_at.date() == date(2026, 4, 14)
    assert list(visit.experts.all()) == [accepted.expert]
    accepted.request.refresh_from_db()
    assert accepted.request.status == SupportRequest.Status.VISIT_PLANNED
    told = {n.recipient for n in Notification.objects.filter(kind="exchange.visit_planned")}
    assert told == {people["city_coordinator"], people["expert"]}


def test_a_visit_needs_an_expert_who_accepted(invitation, people):
    with pytest.raises(Exception) as error:
        services.plan_visit(
            invitation.request,
            by=people["network_coordinator"],
            starts_on=date(2026, 4, 14),
            ends_on=date(2026, 4, 16),
        )
    assert Visit.objects.count() == 0
    assert error.type.__name__ in {"PermissionDenied", "ValidationError"}


def test_both_reports_close_the_request_and_link_the_transfer_to_the_citys_plan(visit, people):
    plan = LocalActionPlanFactory(partnership=visit.request.partnership)
    action = ActionFactory(plan=plan, status="running", progress=40)
    services.file_report(
        visit,
        by=people["city_coordinator"],
        side="host",
        understood="How the table works",
        adapted="Our own table, monthly",
        items=[(action, "adapt", "A monthly neighbourhood table")],
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED
    services.file_report(
        visit, by=people["expert"], side="expert", understood="The city's departments", reused="x"
    )
    visit.refresh_from_db()
    visit.request.refresh_from_db()
    assert visit.status == Visit.Status.DONE
    assert visit.request.status == SupportRequest.Status.CLOSED
    item = TransferItem.objects.get()
    assert (item.action, item.stage) == (action, "adapt")
    told = {n.recipient for n in Notification.objects.filter(kind="exchange.report_filed")}
    assert people["expert"] in told and people["city_coordinator"] in told


def test_a_report_may_not_link_another_citys_plan_action(visit, people):
    foreign = ActionFactory()
    with pytest.raises(ValidationError) as error:
        services.file_report(
            visit,
            by=people["city_coordinator"],
            side="host",
            understood="x",
            items=[(foreign, "reuse", "Something")],
        )
    assert "items" in error.value.message_dict
    assert visit.reports.count() == 0


def test_each_side_reports_once(visit, people):
    services.file_report(visit, by=people["city_coordinator"], side="host", understood="x")
    with pytest.raises(services.RefusedTransition):
        services.file_report(visit, by=people["city_coordinator"], side="host", understood="y")
    assert visit.reports.get().understood == "x"


def test_a_report_filed_in_italian_reads_in_each_readers_language(visit, people):
    """The side is stored as the code's English label and translated for each reader: never
    "visiting expert ha riferito…" on an Italian page, nor Italian on a Bulgarian one."""
    from django.utils import translation

    from conet.core.activity import describe
    from conet.core.models import ActivityEvent

    with translation.override("it"):  # the expert writes from an Italian page
        services.file_report(visit, by=people["expert"], side="expert", understood="x", reused="y")
    event = ActivityEvent.objects.get(kind="exchange.report_filed")
    assert event.data["side"] == "visiting expert"
    notification = Notification.objects.filter(kind="exchange.report_filed").first()
    for language in ("it", "bg", "de"):
        with translation.override(language):
            side = translation.gettext("visiting expert")
            activity_sentence, notification_sentence = describe(event), notification.sentence
        assert side != "visiting expert"
        assert side.casefold() in activity_sentence.casefold(), (language, activity_sentence)
        assert side.casefold() in notification_sentence.casefold(), notification_sentence
        assert "visiting expert" not in activity_sentence + notification_sentence
        assert activity_sentence[0].isupper() and notification_sentence[0].isupper()
