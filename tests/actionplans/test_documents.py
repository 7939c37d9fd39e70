"""PDF (WeasyPrint, from the page's own partials) and DOCX of a plan."""

import io

import pytest
from django.urls import reverse

from conet.actionplans import documents
from conet.core import pdf
from tests.factories import ActionFactory, IndicatorFactory, ObjectiveFactory, ProblemNodeFactory


def _url(name, plan):
    return reverse(
        f"actionplans:{name}", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )


@pytest.fixture
def filled(plan):
    core = ProblemNodeFactory(plan=plan, statement="Early school leaving", objective="Pupils stay")
    ProblemNodeFactory(plan=plan, kind="cause", parent=core, statement="No after-school care")
    IndicatorFactory(objective=ObjectiveFactory(plan=plan), definition="Pupils in the club")
    ActionFactory(plan=plan, title="Homework club in the oratory")
    ActionFactory(plan=plan, title="Night walk for safer streets")
    return plan


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_action_titles_the_tree_and_the_indicators(people, filled, client_as):
    response = client_as(people["city_coordinator"]).get(_url("pdf", filled))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for expected in ["Homework club in the oratory", "Night walk for safer streets",
                     "Early school leaving", "No after-school care", "Pupils in the club",
                     "Contents"]:  # fmt: skip
        assert expected in text, expected


def test_the_docx_holds_the_action_titles(people, filled, client_as):
    from docx import Document

    response = client_as(people["lead_expert"]).get(_url("docx", filled))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Homework club in the oratory", "Night walk for safer streets"} <= cells
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Early school leaving" in paragraphs


def test_without_weasyprint_the_pdf_page_says_so(people, filled, client_as, monkeypatch):
    def missing():
        raise documents.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    response = client_as(people["city_coordinator"]).get(_url("pdf", filled))
    assert response.status_code == 503
    assert "cannot make PDF files" in response.content.decode()


@pytest.mark.parametrize(("name", "status"), [("pdf", 404), ("docx", 403)])
def test_visitors_get_no_documents_of_a_draft(name, status, filled, client_as):
    # A visitor's PDF is that of the latest launched version; a draft has none.
    assert client_as(None).get(_url(name, filled)).status_code == status
