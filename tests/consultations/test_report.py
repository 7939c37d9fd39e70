"""The report as a PDF, and sending its statements to a plan's consultation log."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conet.actionplans.models import PlanComment
from conet.consultations import selectors, services
from conet.consultations.models import Vote
from conet.consultations.simulation import planted_conversation
from conet.core import pdf
from tests.conftest import ROLES
from tests.factories import (
    ConsultationFactory,
    LocalActionPlanFactory,
    ParticipantFactory,
    StatementFactory,
)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def conversation(city, network):
    """Two planted groups over 12 statements, some of which everyone agrees on."""
    consultation = ConsultationFactory(
        city=city, network=network, slug="ballaro", question="What does Ballaro need?"
    )
    statements = StatementFactory.create_batch(12, consultation=consultation)
    participants = ParticipantFactory.create_batch(60, consultation=consultation)
    table = planted_conversation(
        60, 12, n_groups=2, vote_share=0.8, loyalty=0.95, common_share=0.3, seed=1
    ).table
    Vote.objects.bulk_create(
        Vote(participant=participants[r], statement=statements[c], value=int(v))
        for r, c, v in zip(table.rows, table.cols, table.values, strict=True)
    )
    services.recompute(consultation)
    return consultation


def test_the_report_pdf_holds_the_question_and_the_common_ground(conversation, client):
    page = selectors.results_page(conversation, None)
    assert page.consensus, "the planted conversation has common ground"
    response = client.get(reverse("consultations:report_pdf", args=[conversation.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "What does Ballaro need?" in text
    assert page.consensus[0]["text"] in text


def test_the_report_page_links_to_its_pdf(conversation, client):
    response = client.get(reverse("consultations:report", args=[conversation.slug]))
    assert (
        reverse("consultations:report_pdf", args=[conversation.slug]) in response.content.decode()
    )


@pytest.mark.parametrize("role", ROLES)
def test_everyone_who_may_read_the_report_gets_its_pdf(role, people, conversation, client_as):
    response = client_as(people[role]).get(
        reverse("consultations:report_pdf", args=[conversation.slug])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_without_weasyprint_the_report_pdf_says_so(conversation, client, monkeypatch):
    def missing():
        raise pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    response = client.get(reverse("consultations:report_pdf", args=[conversation.slug]))
    assert response.status_code == 503
    assert "cannot make PDF files" in response.content.decode()


# Statements into a plan's consultation log ---------------------------------------------------

# Who may write the consultation log of the city's plan while it is in consultation.
WRITES_LOG = {"platform_admin", "city_coordinator", "lsg_member"}


@pytest.fixture
def plan(network, city):
    from conet.networks.models import Partnership

    partnership = Partnership.objects.get(network=network, city=city)
    return LocalActionPlanFactory(partnership=partnership, status="consultation")


def _send(client, consultation, plan, statement_ids):
    return client.post(
        reverse("consultations:send_to_plan", args=[consultation.slug]),
        {"plan": plan.pk, "statements": statement_ids},
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_who_writes_the_plans_log_sees_the_form(role, people, conversation, plan, client_as):
    response = client_as(people[role]).get(
        reverse("consultations:report", args=[conversation.slug])
    )
    assert response.status_code == 200
    shown = (
        reverse("consultations:send_to_plan", args=[conversation.slug]) in response.content.decode()
    )
    assert shown == (role in WRITES_LOG)


def test_the_form_chooses_the_common_ground_and_the_divisive_statements(
    people, conversation, plan, client_as
):
    response = client_as(people["city_coordinator"]).get(
        reverse("consultations:report", args=[conversation.slug])
    )
    page = selectors.results_page(conversation, None)
    form = response.context["log_form"]
    expected = {item["statement"] for item in page.consensus}
    expected |= {row.statement.pk for row in page.divisive}
    assert set(form.initial["statements"]) == expected
    assert form.initial["plan"] == plan.pk


@pytest.mark.parametrize("role", ROLES)
def test_only_who_writes_the_plans_log_sends_statements_to_it(
    role, people, conversation, plan, client_as
):
    statement = conversation.statements.order_by("number").first()
    response = _send(client_as(people[role]), conversation, plan, [statement.pk])
    if role in WRITES_LOG:
        assert response.status_code == 302
        assert response.url == plan.get_absolute_url()
        assert PlanComment.objects.filter(plan=plan).count() == 1
    else:
        assert response.status_code == (302 if role == "visitor" else 403)
        if role == "visitor":
            assert response.url.startswith(reverse("accounts:login"))
        assert not PlanComment.objects.exists()


def test_the_log_entry_quotes_the_statements_with_their_shares_and_links_back(
    people, conversation, plan, client_as
):
    first, second = conversation.statements.order_by("number")[:2]
    Vote.objects.filter(statement=first).delete()
    participants = list(conversation.participants.order_by("pk")[:4])
    Vote.objects.bulk_create(
        [
            Vote(participant=p, statement=first, value=v)
            for p, v in zip(participants, [1, 1, 1, -1], strict=True)
        ]
    )
    response = _send(client_as(people["lsg_member"]), conversation, plan, [first.pk, second.pk])
    assert response.status_code == 302
    entry = PlanComment.objects.get(plan=plan)
    assert entry.author == people["lsg_member"]
    assert "What does Ballaro need?" in entry.text
    assert "http://testserver" + reverse("consultations:report", args=[conversation.slug]) in (
        entry.text
    )
    assert f"“{first.text}” — agree 75 %, disagree 25 %, votes: 4" in entry.text
    assert f"“{second.text}”" in entry.text


def test_no_statement_chosen_says_so_and_writes_nothing(people, conversation, plan, client_as):
    response = _send(client_as(people["city_coordinator"]), conversation, plan, [])
    assert response.status_code == 422
    assert "Choose at least one statement of this consultation." in response.content.decode()
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize("role", ["platform_admin", "city_coordinator"])
def test_a_plan_of_another_city_says_so_and_writes_nothing(role, people, conversation, client_as):
    elsewhere = LocalActionPlanFactory(status="consultation")
    statement = conversation.statements.first()
    response = _send(client_as(people[role]), conversation, elsewhere, [statement.pk])
    assert response.status_code == 422
    assert "Choose the Local Action Plan of Partner City." in response.content.decode()
    assert not PlanComment.objects.exists()


def test_the_plan_must_be_in_the_consultations_network(people, conversation, client_as):
    from tests.factories import NetworkFactory, PartnershipFactory

    other = PartnershipFactory(network=NetworkFactory(), city=conversation.city)
    elsewhere = LocalActionPlanFactory(partnership=other, status="consultation")
    statement = conversation.statements.first()
    with pytest.raises(ValidationError):
        services.send_statements_to_plan(
            conversation,
            by=people["platform_admin"],
            plan=elsewhere,
            statement_ids=[statement.pk],
            report_url="http://testserver/",
        )
    assert not PlanComment.objects.exists()
