"""An invitation is answered once; a request moves open → matched → visit planned → closed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conet.core.concurrency import EditConflict
from conet.exchange import services
from conet.exchange.models import ExpertInvitation, SupportRequest
from conet.notifications.models import Notification
from tests.concurrency import run_together
from tests.exchange.factories import (
    ExpertInvitationFactory,
    ExpertProfileFactory,
    SupportRequestFactory,
)
from tests.factories import MembershipFactory


def _fresh(invitation):
    return ExpertInvitation.objects.get(pk=invitation.pk)


def test_an_accepted_invitation_cannot_be_declined_afterwards(invitation, people):
    expert = people["expert"]
    services.accept_invitation(invitation, by=expert, expected_version=invitation.version)
    current = _fresh(invitation)
    with pytest.raises(services.RefusedTransition):
        services.decline_invitation(current, by=expert, expected_version=current.version)
    assert _fresh(invitation).status == "accepted"


def test_a_declined_invitation_cannot_be_accepted_afterwards(invitation, people):
    expert = people["expert"]
    services.decline_invitation(invitation, by=expert, expected_version=invitation.version)
    current = _fresh(invitation)
    with pytest.raises(services.RefusedTransition):
        services.accept_invitation(current, by=expert, expected_version=current.version)
    assert _fresh(invitation).status == "declined"
    assert SupportRequest.objects.get(pk=invitation.request_id).status == "open"


def test_a_withdrawn_invitation_cannot_be_accepted(invitation, people):
    services.withdraw_invitation(
        invitation, by=people["network_coordinator"], expected_version=invitation.version
    )
    current = _fresh(invitation)
    with pytest.raises(services.RefusedTransition):
        services.accept_invitation(current, by=people["expert"], expected_version=current.version)


def test_an_answer_from_a_stale_page_is_a_conflict_not_an_overwrite(invitation, people):
    ExpertInvitation.objects.filter(pk=invitation.pk).update(version=invitation.version + 1)
    with pytest.raises(EditConflict):
        services.accept_invitation(
            invitation, by=people["expert"], expected_version=invitation.version
        )
    assert _fresh(invitation).status == "invited"


def test_the_same_expert_is_invited_once(invitation, people):
    with pytest.raises(ValidationError) as error:
        services.invite(invitation.request, invitation.expert, by=people["network_coordinator"])
    assert "expert" in error.value.message_dict
    assert ExpertInvitation.objects.count() == 1


def test_no_invitations_once_a_request_is_closed(support_request, people):
    services.close_request(support_request, by=people["city_coordinator"])
    with pytest.raises(PermissionDenied):
        services.invite(
            SupportRequest.objects.get(pk=support_request.pk),
            ExpertProfileFactory(),
            by=people["network_coordinator"],
        )
    with pytest.raises(services.RefusedTransition):
        services.close_request(
            SupportRequest.objects.get(pk=support_request.pk), by=people["city_coordinator"]
        )


def test_a_second_acceptance_keeps_the_request_matched(support_request, people):
    first = ExpertInvitationFactory(request=support_request)
    second = ExpertInvitationFactory(request=support_request)
    services.accept_invitation(first, by=first.expert.user, expected_version=first.version)
    services.accept_invitation(second, by=second.expert.user, expected_version=second.version)
    support_request.refresh_from_db()
    assert support_request.status == "matched"


def test_no_visit_before_an_expert_accepted(invitation, people):
    with pytest.raises(PermissionDenied):
        services.plan_visit(
            invitation.request,
            by=people["network_coordinator"],
            starts_on="2026-04-01",
            ends_on="2026-04-02",
        )


# Two at once ------------------------------------------------------------------------------------


def _kinds(outcomes: dict) -> list[str]:
    return sorted(
        "ok" if not isinstance(value, Exception) else type(value).__name__
        for value in outcomes.values()
    )


def test_two_answers_at_once_from_the_same_version_one_wins(transactional_db):
    invitation = ExpertInvitationFactory(request=SupportRequestFactory())
    expert = invitation.expert.user
    version = invitation.version

    def answer(service):
        return lambda: service(_fresh(invitation), by=expert, expected_version=version).status

    outcomes = run_together(
        {
            "accept": answer(services.accept_invitation),
            "decline": answer(services.decline_invitation),
        }
    )
    assert _kinds(outcomes) in (["EditConflict", "ok"], ["RefusedTransition", "ok"]), outcomes
    winner = next(name for name, value in outcomes.items() if not isinstance(value, Exception))
    stored = _fresh(invitation)
    assert stored.status == {"accept": "accepted", "decline": "declined"}[winner]
    assert stored.version == version + 1
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {f"exchange.{stored.status}"}


def test_two_accepts_at_once_accept_once(transactional_db):
    invitation = ExpertInvitationFactory(request=SupportRequestFactory())
    expert = invitation.expert.user

    def accept():
        return services.accept_invitation(
            _fresh(invitation), by=expert, expected_version=invitation.version
        ).status

    outcomes = run_together({"first": accept, "second": accept})
    assert _kinds(outcomes) in (["EditConflict", "ok"], ["RefusedTransition", "ok"]), outcomes
    assert _fresh(invitation).version == invitation.version + 1
    # One acceptance: who invited and who asked are told once each.
    told = list(
        Notification.objects.filter(kind="exchange.accepted").values_list("recipient_id", flat=True)
    )
    assert sorted(told) == sorted([invitation.invited_by_id, invitation.request.created_by_id])


def test_two_coordinators_inviting_the_same_expert_at_once_invite_once(transactional_db):
    request = SupportRequestFactory()
    coordinators = [
        MembershipFactory(role="network_coordinator", network=request.partnership.network).user,
        MembershipFactory(role="lead_expert", network=request.partnership.network).user,
    ]
    expert = ExpertProfileFactory()

    def invite(person):
        return lambda: (
            services.invite(SupportRequest.objects.get(pk=request.pk), expert, by=person).pk
        )

    outcomes = run_together({"a": invite(coordinators[0]), "b": invite(coordinators[1])})
    assert _kinds(outcomes) == ["ValidationError", "ok"], outcomes
    assert ExpertInvitation.objects.filter(request=request, expert=expert).count() == 1
    assert Notification.objects.filter(kind="exchange.invited").count() == 1
