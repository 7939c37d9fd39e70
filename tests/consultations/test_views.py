"""Consultation pages: who may use which, taking part without an account, the bot trap, rate limits,
and query counts that stay the same whatever the number of statements and participants."""

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.consultations import services
from conet.consultations.models import Consultation, Participant, Statement, Vote
from conet.consultations.simulation import planted_conversation
from conet.consultations.views import DEVICE_COOKIE, DEVICE_SALT
from conet.core.models import BlockedClient
from tests.conftest import ROLES
from tests.factories import ConsultationFactory, ParticipantFactory, StatementFactory

# City coordinators of the city, network coordinators of a network the city is in, platform admins.
RUNS = {"platform_admin", "city_coordinator", "network_coordinator"}


def outcome(role: str, allowed: set[str]):
    if role in allowed:
        return "allowed"
    return "sign_in" if role == "visitor" else 403


def assert_refused(response, expected) -> None:
    if expected == "sign_in":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def rows() -> dict:
    models = [Consultation, Statement, Participant, Vote]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def consultation(city):
    consultation = ConsultationFactory(city=city, slug="ballaro", question="Ballarò tomorrow?")
    StatementFactory(consultation=consultation, number=0, text="More benches on the square")
    return consultation


@pytest.mark.parametrize("role", ROLES)
def test_new_consultation_only_for_who_runs_consultations_in_the_city(
    role, people, city, client_as
):
    client = client_as(people[role])
    url = reverse("consultations:new", args=[city.slug])
    before = rows()
    response = client.post(
        url,
        {
            "slug": "new-one",
            "question": "What should the market square become?",
            "language": "it",
            "opens_at": "2026-01-01T10:00",
            "moderation": "before",
            "participants_may_add": "on",
            "seed_statements": "A playground\nA car park",
        },
    )
    expected = outcome(role, RUNS)
    if expected == "allowed":
        assert response.status_code == 302, response.content.decode()[:2000]
        created = Consultation.objects.get(slug="new-one")
        assert created.statements.count() == 2
        assert created.created_by == people[role]
    else:
        assert_refused(response, expected)
        assert rows() == before


def test_new_consultation_form_names_the_bad_field(people, city, client_as):
    client = client_as(people["city_coordinator"])
    response = client.post(
        reverse("consultations:new", args=[city.slug]),
        {"slug": "x", "question": "", "language": "en", "opens_at": "2026-01-01T10:00",
         "moderation": "after"},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="id_question_error"' in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_settings_only_for_who_runs_consultations(role, people, consultation, client_as):
    client = client_as(people[role])
    url = reverse("consultations:edit", args=[consultation.slug])
    before = rows()
    response = client.post(
        url,
        {
            "version": consultation.version,
            "question": "Renamed?",
            "language": "en",
            "opens_at": "2026-01-01T10:00",
            "moderation": "after",
        },
    )
    expected = outcome(role, RUNS)
    if expected == "allowed":
        assert response.status_code == 302, response.content.decode()[:2000]
        consultation.refresh_from_db()
        assert consultation.question == "Renamed?"
        assert consultation.participants_may_add is False
    else:
        assert_refused(response, expected)
        assert rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_moderation_only_for_who_runs_consultations(role, people, consultation, client_as):
    statement = consultation.statements.get()
    client = client_as(people[role])
    url = reverse("consultations:moderate", args=[consultation.slug])
    before = rows()
    response = client.post(
        url, {"statement": statement.pk, "decision": "reject", "reason": "Duplicate"}
    )
    expected = outcome(role, RUNS)
    if expected == "allowed":
        assert response.status_code == 302
        statement.refresh_from_db()
        assert statement.status == Statement.Status.REJECTED
        assert client.get(url).status_code == 200
    else:
        assert_refused(response, expected)
        assert rows() == before


def test_rejecting_without_a_reason_says_so(people, consultation, client_as):
    statement = consultation.statements.get()
    client = client_as(people["city_coordinator"])
    response = client.post(
        reverse("consultations:moderate", args=[consultation.slug]),
        {"statement": statement.pk, "decision": "reject", "reason": ""},
    )
    assert response.status_code == 422
    assert "Say why the statement is rejected." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED


@pytest.mark.parametrize("role", ROLES)
def test_export_only_for_who_runs_consultations(role, people, consultation, client_as):
    response = client_as(people[role]).get(
        reverse("consultations:export", args=[consultation.slug])
    )
    expected = outcome(role, RUNS)
    if expected == "allowed":
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
    else:
        assert_refused(response, expected)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_vote_while_open(role, people, consultation, client_as):
    statement = consultation.statements.get()
    client = client_as(people[role])
    response = client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": statement.pk, "value": "1"},
    )
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert vote.value == 1
    if people[role] is None:
        assert DEVICE_COOKIE in response.cookies
        assert vote.participant.user is None
    else:
        assert vote.participant.user == people[role]


@pytest.mark.parametrize("role", ROLES)
def test_nobody_votes_on_a_closed_consultation(role, people, consultation, client_as):
    from datetime import timedelta

    from django.utils import timezone

    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    response = client_as(people[role]).post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": consultation.statements.get().pk, "value": "1"},
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_adding_statements_follows_the_consultations_choice(role, people, consultation, client_as):
    Consultation.objects.filter(pk=consultation.pk).update(participants_may_add=False)
    response = client_as(people[role]).post(
        reverse("consultations:add_statement", args=[consultation.slug]),
        {"text": "Open the school yard on Sundays"},
    )
    if role in RUNS:
        assert response.status_code == 302
        assert consultation.statements.filter(text__startswith="Open the school").exists()
    else:
        assert response.status_code == 403
        assert consultation.statements.count() == 1


def test_anonymous_device_votes_and_sees_the_next_statement(consultation, client):
    second = StatementFactory(consultation=consultation, number=1, text="A night bus")
    page = client.get(consultation.get_absolute_url())
    first = page.context["statement"]
    assert 'name="homepage"' in page.content.decode()  # the bot trap's hidden field
    client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": first.pk, "value": "-1"},
    )
    page = client.get(consultation.get_absolute_url())
    assert page.context["statement"] == (second if first != second else None)
    assert page.context["voted"] == 1
    # Same device, same participant: the vote is replaced, not added.
    client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": first.pk, "value": "0"},
    )
    assert list(Vote.objects.values_list("value", flat=True)) == [0]
    assert Participant.objects.count() == 1


def test_least_voted_statement_comes_first(consultation, client):
    crowded = consultation.statements.get()
    fresh = StatementFactory(consultation=consultation, number=1)
    for participant in ParticipantFactory.create_batch(3, consultation=consultation):
        Vote.objects.create(participant=participant, statement=crowded, value=1)
    assert client.get(consultation.get_absolute_url()).context["statement"] == fresh


def test_a_bot_filling_the_hidden_field_is_refused(consultation, client):
    response = client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": consultation.statements.get().pk, "value": "1", "homepage": "spam"},
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()
    assert BlockedClient.objects.filter(reason="filled hidden field").exists()


def test_too_many_votes_from_one_address_are_refused(consultation, client, monkeypatch):
    monkeypatch.setattr(services, "VOTE_LIMIT_PER_ADDRESS", (2, 60))
    statement = consultation.statements.get()
    url = reverse("consultations:cast_vote", args=[consultation.slug])
    for _ in range(2):
        client.cookies.clear()  # a new device each time, from the same address
        assert client.post(url, {"statement": statement.pk, "value": "1"}).status_code == 302
    client.cookies.clear()
    response = client.post(url, {"statement": statement.pk, "value": "1"})
    assert response.status_code == 429
    assert Vote.objects.count() == 2


def test_a_statement_too_long_is_refused_with_the_reason(consultation, client):
    response = client.post(
        reverse("consultations:add_statement", args=[consultation.slug]), {"text": "x" * 300}
    )
    assert response.status_code == 422
    assert "280" in response.content.decode()
    assert consultation.statements.count() == 1


def _conversation(city, participants: int, statements: int) -> Consultation:
    consultation = ConsultationFactory(city=city, slug=f"c{participants}-{statements}")
    items = StatementFactory.create_batch(statements, consultation=consultation)
    people = ParticipantFactory.create_batch(participants, consultation=consultation)
    table = planted_conversation(
        participants, statements, n_groups=2, vote_share=0.7, loyalty=0.95, seed=1
    ).table
    Vote.objects.bulk_create(
        Vote(participant=people[r], statement=items[c], value=int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    )
    services.recompute(consultation)
    return consultation


@pytest.mark.parametrize("name", ["vote", "results", "report"])
def test_page_queries_do_not_grow_with_the_conversation(name, city, client):
    counts = []
    for size in [(20, 8), (80, 30)]:
        consultation = _conversation(city, *size)
        url = reverse(f"consultations:{name}", args=[consultation.slug])
        client.get(url)  # sessions, content types: warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 8


def test_results_page_draws_the_map_groups_and_your_position(city, client):
    consultation = _conversation(city, 60, 20)
    participant = Participant.objects.filter(consultation=consultation).first()
    token = "device-token-1"
    Participant.objects.filter(pk=participant.pk).update(device_hash=Participant.hash_device(token))
    # The cookie this device got with its first vote (signed as HttpResponse.set_signed_cookie does).
    signer = signing.get_cookie_signer(salt=DEVICE_COOKIE + DEVICE_SALT)
    client.cookies[DEVICE_COOKIE] = signer.sign(token)
    page = client.get(reverse("consultations:results", args=[consultation.slug]))
    html = page.content.decode()
    assert html.count('class="participant group-') == 60
    assert html.count('<polygon class="group-hull') == 2
    assert 'class="own-position"' in html
    assert html.count('class="vote-bar"') == 20 * 3  # everyone + two groups, per statement


def test_list_shows_open_consultations(consultation, client):
    response = client.get(reverse("consultations:list"))
    assert consultation.question in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_list_offers_a_new_consultation_only_where_one_may_open_it(role, people, city, client_as):
    response = client_as(people[role]).get(reverse("consultations:list"))
    offered = [c.slug for c in response.context["cities"]]
    if role in RUNS:
        assert city.slug in offered
        start = client_as(people[role]).get(reverse("consultations:start") + f"?city={city.slug}")
        assert start.url == reverse("consultations:new", args=[city.slug])
    else:
        assert city.slug not in offered


def test_moderation_page_queries_do_not_grow_with_the_statements(people, city, client_as):
    client = client_as(people["city_coordinator"])
    counts = []
    for size in (5, 40):
        consultation = ConsultationFactory(city=city, slug=f"moderated-{size}")
        StatementFactory.create_batch(
            size, consultation=consultation, moderated_by=people["platform_admin"]
        )
        url = reverse("consultations:moderate", args=[consultation.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_admin_lists_consultations(people, consultation, client_as):
    people["platform_admin"].is_superuser = True  # Django's admin asks for model permissions
    people["platform_admin"].save()
    client = client_as(people["platform_admin"])
    response = client.get("/en/admin/consultations/consultation/")
    assert response.status_code == 200
    assert consultation.question in response.content.decode()


def test_a_vote_without_javascript_returns_to_the_next_statement_not_the_page_top(
    consultation, client
):
    response = client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": consultation.statements.get().pk, "value": "1"},
    )
    assert response.status_code == 302
    assert response.url == f"{consultation.get_absolute_url()}#statement"


def test_a_vote_sent_in_place_answers_with_the_next_statement_alone(consultation, client):
    first = consultation.statements.get()
    second = StatementFactory(consultation=consultation, number=1, text="A night bus")
    response = client.post(
        reverse("consultations:cast_vote", args=[consultation.slug]),
        {"statement": first.pk, "value": "1"},
        headers={"X-Requested-With": "fetch"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="statement"' in body
    assert "A night bus" in body and f'value="{second.pk}"' in body
    assert response.context["voted"] == 1
    # The first vote of a device without an account still sets the device cookie.
    assert DEVICE_COOKIE in response.cookies
    assert Vote.objects.get().value == 1


def test_a_vote_refused_in_place_says_why_in_the_statement_card(consultation, client, monkeypatch):
    monkeypatch.setattr(services, "VOTE_LIMIT_PER_ADDRESS", (1, 60))
    statement = consultation.statements.get()
    url = reverse("consultations:cast_vote", args=[consultation.slug])
    client.post(url, {"statement": statement.pk, "value": "1"})
    client.cookies.clear()
    response = client.post(
        url, {"statement": statement.pk, "value": "-1"}, headers={"X-Requested-With": "fetch"}
    )
    body = response.content.decode()
    assert response.status_code == 429
    assert 'role="alert"' in body and 'id="statement"' in body and "<html" not in body
    assert Vote.objects.count() == 1


def test_the_statement_comes_before_the_consultations_introduction(consultation, client):
    Consultation.objects.filter(pk=consultation.pk).update(description="A long introduction")
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert body.index('id="statement"') < body.index("A long introduction")
