"""The scene of the support scheme: the partner city of `people` asks, the `expert` of `people`
has a profile and is invited, and (for the later steps) has accepted and a visit is planned."""

import pytest

from conet.exchange.models import ExpertInvitation, SupportRequest
from conet.networks.models import Partnership
from tests.exchange.factories import (
    ExpertInvitationFactory,
    ExpertProfileFactory,
    SupportRequestFactory,
    VisitFactory,
)


@pytest.fixture
def partnership(people, network, city):
    return Partnership.objects.get(network=network, city=city)


@pytest.fixture
def support_request(partnership, people):
    return SupportRequestFactory(partnership=partnership, created_by=people["city_coordinator"])


@pytest.fixture
def expert_profile(people):
    return ExpertProfileFactory(user=people["expert"])


@pytest.fixture
def invitation(support_request, expert_profile, people):
    return ExpertInvitationFactory(
        request=support_request, expert=expert_profile, invited_by=people["network_coordinator"]
    )


@pytest.fixture
def accepted(invitation):
    ExpertInvitation.objects.filter(pk=invitation.pk).update(status="accepted")
    SupportRequest.objects.filter(pk=invitation.request_id).update(status="matched")
    invitation.refresh_from_db()
    invitation.request.refresh_from_db()
    return invitation


@pytest.fixture
def visit(accepted, people):
    visit = VisitFactory(request=accepted.request, planned_by=people["network_coordinator"])
    visit.experts.set([accepted.expert])
    SupportRequest.objects.filter(pk=visit.request_id).update(status="visit_planned")
    return visit
