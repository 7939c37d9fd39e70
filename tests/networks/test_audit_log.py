"""The audit log: privileged actions recorded as they happen, append-only, read by platform admins
(everything) and network coordinators (their network and its partner cities), exported as CSV."""

import csv
import io

import pytest

from conet.accounts import services as account_services
from conet.accounts.models import Membership, Role
from conet.core.models import AuditEntry
from tests.conftest import ROLES
from tests.factories import PASSWORD, CityFactory, MembershipFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = {"platform_admin", "network_coordinator", "other_network_coordinator"}


def test_an_invitation_and_its_acceptance_are_recorded(people, network):
    invitation, _token = account_services.invite(
        by=people["network_coordinator"], email="new@example.org", role=Role.EXPERT,
        scope=network, allowed_roles={Role.EXPERT},
    )  # fmt: skip
    account_services.accept_invitation(invitation, user=None, name="New", password=PASSWORD)
    sent, granted = AuditEntry.objects.order_by("pk").values_list("action", "network_id")
    assert sent == ("invitation.sent", network.pk)
    assert granted == ("membership.granted", network.pk)


def test_revoking_a_role_is_recorded_with_who_did_it(people, network):
    membership = Membership.objects.get(user=people["expert"])
    account_services.revoke_membership(membership, by=people["network_coordinator"])
    entry = AuditEntry.objects.get(action="membership.revoked")
    assert entry.actor == people["network_coordinator"]
    assert people["expert"].email in entry.summary


def test_sign_ins_failures_and_lockouts_are_recorded(client):
    user = UserFactory(email="officer@example.org")
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"username": "Officer@example.org", "password": "no"})
    client.post("/en/accounts/login/", {"username": user.email, "password": PASSWORD})
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert (
        actions[:5] == ["login.failed"] * 4 + ["login.locked_out"]
        or actions.count("login.failed") >= 5
    )
    assert "login.locked_out" in actions
    assert "login.succeeded" not in actions  # locked out: the right password does not get in
    client2 = type(client)()
    other = UserFactory(email="other@example.org")
    client2.post("/en/accounts/login/", {"username": other.email, "password": PASSWORD})
    entry = AuditEntry.objects.get(action="login.succeeded")
    assert entry.actor == other and entry.address == "127.0.0.1"


def test_the_log_is_append_only(people):
    entry = AuditEntry.objects.create(action="login.failed", summary="x")
    with pytest.raises(PermissionError):
        entry.summary = "changed"
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "x"


def test_an_actor_who_leaves_stays_named_in_the_log(people):
    user = UserFactory(email="gone@example.org")
    account_services.create_api_token(user, name="script")
    user.delete()
    entry = AuditEntry.objects.get(action="api_token.created")
    assert entry.actor is None and entry.actor_label == "gone@example.org"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_the_log(role, people, client_as):
    response = client_as(people[role]).get("/en/audit/")
    if role == "visitor":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in READERS else 403)
    csv_response = client_as(people[role]).get("/en/audit/audit-log.csv")
    assert csv_response.status_code in ({200} if role in READERS else {302, 403})


def test_a_coordinator_reads_their_network_and_its_cities_only(people, network, city, client_as):
    other_network = NetworkFactory(slug="elsewhere")
    other_city = CityFactory(slug="far-city")
    AuditEntry.objects.create(action="plan.launched", network_id=network.pk, summary="ours")
    AuditEntry.objects.create(action="statement.moderated", city_id=city.pk, summary="our city")
    AuditEntry.objects.create(action="plan.launched", network_id=other_network.pk, summary="theirs")
    AuditEntry.objects.create(action="statement.moderated", city_id=other_city.pk, summary="far")
    AuditEntry.objects.create(action="login.failed", summary="someone@example.org")
    coordinator = client_as(people["network_coordinator"])
    shown = [e.summary for e in coordinator.get("/en/audit/").context["page"].object_list]
    assert sorted(shown) == ["our city", "ours"]
    admin = client_as(people["platform_admin"])
    shown = {e.summary for e in admin.get("/en/audit/").context["page"].object_list}
    assert {"ours", "our city", "theirs", "far", "someone@example.org"} <= shown
    other_coordinator = MembershipFactory(role=Role.NETWORK_COORDINATOR, network=other_network).user
    shown = [
        e.summary
        for e in client_as(other_coordinator).get("/en/audit/").context["page"].object_list
    ]
    assert shown == ["theirs"]


def test_search_filter_and_csv_export(people, network, client_as):
    AuditEntry.objects.create(action="plan.launched", network_id=network.pk, summary="Palermo 1.0")
    AuditEntry.objects.create(
        action="statement.moderated", network_id=network.pk, summary='=HYPERLINK("x")'
    )
    client = client_as(people["platform_admin"])
    page = client.get("/en/audit/", {"q": "palermo"}).context["page"]
    assert [e.summary for e in page.object_list] == ["Palermo 1.0"]
    page = client.get("/en/audit/", {"action": "statement.moderated"}).context["page"]
    assert len(page.object_list) == 1
    response = client.get("/en/audit/audit-log.csv", {"action": "statement.moderated"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["when", "action", "actor"]
    assert rows[1][5] == '\'=HYPERLINK("x")'  # a formula is written as text


def test_a_data_download_and_an_account_deletion_are_recorded(client_as):
    person = UserFactory(email="leaving@example.org")
    client = client_as(person)
    assert client.post("/en/accounts/my-data/download/").status_code == 200
    exported = AuditEntry.objects.get(action="personal_data.exported")
    assert exported.actor == person
    account_services.delete_account(person, password=PASSWORD)
    deleted = AuditEntry.objects.get(action="account.deleted")
    assert "leaving@example.org" not in deleted.summary and deleted.actor is None
