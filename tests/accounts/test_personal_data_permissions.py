"""Who may download and delete through "My data", for every role: only ever the signed-in person,
for themself. Nobody, platform admins included, reaches someone else's data through these pages."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from conet.accounts.models import User
from tests.factories import ALLOWED, PASSWORD, assert_refused, outcome_table, stored_rows

SIGNED_IN_ROLES = {
    "signed_in", "platform_admin", "network_coordinator", "lead_expert", "expert",
    "city_coordinator", "lsg_member", "other_network_coordinator", "other_city_coordinator",
}  # fmt: skip
SEE_AND_DOWNLOAD = outcome_table(SIGNED_IN_ROLES)
# The people fixture gives each coordinator role one person per network or city: they are the
# last coordinator there, so their deletion is refused until someone takes over (422).
DELETE_OWN_ACCOUNT = outcome_table(
    {"signed_in", "platform_admin", "lead_expert", "expert", "lsg_member"}, refused=422
)


@pytest.mark.parametrize(("role", "outcome"), SEE_AND_DOWNLOAD.items())
def test_my_data_page_is_each_persons_own(role, outcome, people, client_as):
    response = client_as(people[role]).get(reverse("accounts:my_data"))
    if outcome == ALLOWED:
        assert response.status_code == 200
    else:
        assert_refused(response, outcome)


@pytest.mark.parametrize(("role", "outcome"), SEE_AND_DOWNLOAD.items())
def test_download_holds_the_signed_in_persons_data_only(role, outcome, people, client_as):
    # Asking for someone else's data by naming them is not a thing the page knows.
    response = client_as(people[role]).post(
        reverse("accounts:my_data_download") + f"?user={people['expert'].pk}",
        {"user": people["expert"].pk},
    )
    if outcome != ALLOWED:
        assert_refused(response, outcome)
        return
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    account = json.loads(archive.read("account.json"))
    assert account["profile"]["email"] == people[role].email
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    others = [person for name, person in people.items() if person and name != role]
    assert not [person.email for person in others if person.email in everything]


def test_download_is_not_reachable_by_a_link(people, client_as):
    """A GET (an <img>, a prefetch) never produces an archive."""
    response = client_as(people["expert"]).get(reverse("accounts:my_data_download"))
    assert response.status_code == 405


@pytest.mark.parametrize(("role", "outcome"), DELETE_OWN_ACCOUNT.items())
def test_delete_account_per_role(role, outcome, people, client_as):
    client = client_as(people[role])
    before = stored_rows()
    response = client.post(reverse("accounts:my_data"), {"password": PASSWORD})
    if outcome == ALLOWED:
        assert response.status_code == 302
        assert not User.objects.filter(pk=people[role].pk).exists()
        # Nobody else went with them.
        assert User.objects.count() == len([p for p in people.values() if p]) - 1
    else:
        assert_refused(response, outcome)
        assert stored_rows() == before
