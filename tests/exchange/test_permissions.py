"""The role × action matrix of every write of the support scheme, through the pages and the API.

Each action is tried by each of the ten roles of tests.conftest.ROLES; a refused one changes
nothing (every row of the scheme, its notifications and the activity feed are compared).
"""

import pytest
from django.urls import reverse

from conet.core.models import ActivityEvent
from conet.exchange.models import (
    ExpertInvitation,
    ExpertProfile,
    SupportRequest,
    TransferItem,
    Visit,
    VisitReport,
)
from conet.meetings.models import Meeting
from conet.notifications.models import Notification
from tests.conftest import ROLES
from tests.exchange.factories import ExpertProfileFactory
from tests.factories import ALLOWED, api_headers, assert_refused, outcome_table


def exchange_rows() -> dict:
    models = [
        SupportRequest, ExpertProfile, ExpertInvitation, Visit, VisitReport, TransferItem,
        Notification, ActivityEvent, Meeting,
    ]  # fmt: skip
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def _post_request(ctx):
    return (
        reverse("exchange:request_create"),
        {
            "partnership": ctx["partnership"].pk,
            "title": "Help with our neighbourhood table",
            "project": "Old town table",
            "problem": "Departments plan separately.",
            "know_how": "How to run a neighbourhood table.",
            "languages": "de,en",
            "language": "en",
        },
        lambda: SupportRequest.objects.filter(title="Help with our neighbourhood table").exists(),
    )


def _edit_profile(ctx):
    profile = ctx["expert_profile"]
    return (
        reverse("exchange:expert_edit", args=[profile.pk]),
        {
            "version": profile.version,
            "headline": "Changed headline",
            "languages": "en",
            "language": "en",
            "is_available": "on",
        },
        lambda: ExpertProfile.objects.get(pk=profile.pk).headline == "Changed headline",
    )


def _create_profile_for_someone(ctx):
    person = ctx["people"]["lsg_member"]
    return (
        reverse("exchange:expert_create"),
        {"email": person.email, "headline": "Made by staff", "languages": "en", "language": "en"},
        lambda: ExpertProfile.objects.filter(user=person).exists(),
    )


def _invite(ctx):
    other = ExpertProfileFactory()
    return (
        reverse("exchange:invite", args=[ctx["support_request"].pk]),
        {"expert": other.pk, "message": "Could you help?"},
        lambda: ExpertInvitation.objects.filter(expert=other).exists(),
    )


def _answer(decision):
    def action(ctx):
        invitation = ctx["invitation"]
        return (
            reverse("exchange:answer", args=[invitation.pk, decision]),
            {"version": invitation.version, "answer": "ok"},
            lambda: ExpertInvitation.objects.get(pk=invitation.pk).status != "invited",
        )

    return action


def _withdraw(ctx):
    invitation = ctx["invitation"]
    return (
        reverse("exchange:withdraw", args=[invitation.pk]),
        {"version": invitation.version},
        lambda: ExpertInvitation.objects.get(pk=invitation.pk).status == "withdrawn",
    )


def _plan_visit(ctx):
    return (
        reverse("exchange:visit_create", args=[ctx["accepted"].request_id]),
        {"starts_on": "2026-04-14", "ends_on": "2026-04-16", "travel": "Train", "agenda": "Walk"},
        lambda: Visit.objects.exists(),
    )


def _report(side):
    def action(ctx):
        visit = ctx["visit"]
        return (
            reverse("exchange:report", args=[visit.pk, side]),
            {f"{side}-understood": "What we understood", f"{side}-language": "en"},
            lambda: VisitReport.objects.filter(visit=visit, side=side).exists(),
        )

    return action


STAFF = {"network_coordinator", "lead_expert", "platform_admin"}
ACTIONS = {
    "post_request": (_post_request, {"city_coordinator", "platform_admin"}, ()),
    "edit_profile": (_edit_profile, {"expert", "platform_admin"}, ()),
    "create_profile_for_someone": (
        _create_profile_for_someone,
        STAFF | {"other_network_coordinator"},
        (),
    ),
    "invite": (_invite, STAFF, ()),
    "accept": (_answer("accept"), {"expert"}, ("invitation",)),
    "decline": (_answer("decline"), {"expert"}, ("invitation",)),
    "withdraw": (_withdraw, STAFF, ("invitation",)),
    "plan_visit": (_plan_visit, STAFF, ("accepted",)),
    "file_host_report": (_report("host"), {"city_coordinator"}, ("visit",)),
    "file_expert_report": (_report("expert"), {"expert"}, ("visit",)),
}


@pytest.fixture
def ctx(request, people, partnership, support_request, expert_profile):
    context = {
        "people": people,
        "partnership": partnership,
        "support_request": support_request,
        "expert_profile": expert_profile,
    }
    for name in ACTIONS[request.node.callspec.params["action"]][2]:
        context[name] = request.getfixturevalue(name)
    return context


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action_matrix_on_the_pages(action, role, ctx, client_as):
    make, allowed, _needs = ACTIONS[action]
    outcome = outcome_table(allowed)[role]
    url, data, done = make(ctx)
    before = exchange_rows()
    response = client_as(ctx["people"][role]).post(url, data)
    if outcome == ALLOWED:
        assert response.status_code == 302, getattr(response, "context", None) and [
            f.errors for f in response.context.get("form", []) or []
        ]
        assert done()
    else:
        assert_refused(response, outcome)
        assert not done()
        assert exchange_rows() == before


API_ACTIONS = {
    "post_request": {"city_coordinator", "platform_admin"},
    "invite": STAFF,
    "accept": {"expert"},
    "plan_visit": STAFF,
    "file_host_report": {"city_coordinator"},
    "edit_profile": {"expert", "platform_admin"},
}


def _api_call(action, ctx):
    if action == "post_request":
        return (
            "post",
            "/api/v1/exchange/requests",
            {
                "network": ctx["partnership"].network.slug,
                "city": ctx["partnership"].city.slug,
                "title": "API request",
                "project": "p",
                "problem": "x",
                "know_how": "y",
                "languages": ["en"],
            },
            lambda: SupportRequest.objects.filter(title="API request").exists(),
        )
    if action == "invite":
        other = ExpertProfileFactory()
        return (
            "post",
            f"/api/v1/exchange/requests/{ctx['support_request'].pk}/invitations",
            {"expert": other.pk},
            lambda: ExpertInvitation.objects.filter(expert=other).exists(),
        )
    if action == "accept":
        invitation = ctx["invitation"]
        return (
            "post",
            f"/api/v1/exchange/invitations/{invitation.pk}/accept",
            {"version": invitation.version},
            lambda: ExpertInvitation.objects.get(pk=invitation.pk).status == "accepted",
        )
    if action == "plan_visit":
        return (
            "post",
            f"/api/v1/exchange/requests/{ctx['accepted'].request_id}/visits",
            {
                "starts_on": "2026-04-14",
                "ends_on": "2026-04-15",
            },
            lambda: Visit.objects.exists(),
        )
    if action == "file_host_report":
        visit = ctx["visit"]
        return (
            "post",
            f"/api/v1/exchange/visits/{visit.pk}/reports",
            {
                "side": "host",
                "understood": "x",
            },
            lambda: VisitReport.objects.filter(visit=visit).exists(),
        )
    profile = ctx["expert_profile"]
    return (
        "patch",
        f"/api/v1/exchange/experts/{profile.pk}",
        {
            "version": profile.version,
            "headline": "API headline",
        },
        lambda: ExpertProfile.objects.get(pk=profile.pk).headline == "API headline",
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(API_ACTIONS))
def test_role_action_matrix_in_the_api(action, role, ctx, client):
    allowed = API_ACTIONS[action]
    method, url, payload, done = _api_call(action, ctx)
    headers = api_headers(ctx["people"][role])
    before = exchange_rows()
    response = getattr(client, method)(
        url, payload, content_type="application/json", headers=headers
    )
    if role in allowed:
        assert response.status_code in (200, 201), response.content
        assert done()
    else:
        assert response.status_code == (401 if role == "visitor" else 403), response.content
        assert not done()
        assert exchange_rows() == before
