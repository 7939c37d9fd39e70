"""Password-reset mails are throttled per address and per client, without telling who has an account."""

import pytest
from django.core import mail

from tests.factories import UserFactory

RESET = "/en/accounts/password/reset/"


@pytest.fixture
def officer(db):
    return UserFactory(email="officer@example.org")


def test_one_address_gets_at_most_three_mails_an_hour(officer, client):
    for _ in range(25):
        response = client.post(RESET, {"email": "officer@example.org"})
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {"officer@example.org"}


def test_changing_the_case_does_not_get_more_mails(officer, client):
    for email in [
        "officer@example.org",
        "Officer@Example.org",
        "OFFICER@EXAMPLE.ORG",
        "oFFicer@example.org",
    ]:
        client.post(RESET, {"email": email})
    assert len(mail.outbox) == 3


def test_another_person_still_gets_their_mail(officer, client):
    other = UserFactory(email="other@example.org")
    for _ in range(5):
        client.post(RESET, {"email": officer.email})
    client.post(RESET, {"email": other.email})
    assert [m.to[0] for m in mail.outbox].count(other.email) == 1


def test_one_client_cannot_spray_many_addresses(settings, db, client):
    settings.CONET_PASSWORD_RESET_PER_CLIENT_HOUR = 5
    for n in range(8):
        UserFactory(email=f"person{n}@example.org")
        client.post(RESET, {"email": f"person{n}@example.org"})
    assert len(mail.outbox) == 5
