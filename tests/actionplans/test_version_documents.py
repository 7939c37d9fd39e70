"""The PDF of a launched version is rendered once, in the background, and then served as stored;
visitors get documents of launched versions only."""

import io

import pytest
from django.urls import reverse

from conet.actionplans import documents, services, tasks
from conet.actionplans.models import LocalActionPlan, PlanVersion, VersionDocument
from conet.core.languages import in_language
from tests.factories import ActionFactory, ProblemNodeFactory


def _url(name, plan):
    return reverse(
        f"actionplans:{name}", args=[plan.partnership.network.slug, plan.partnership.city.slug]
    )


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


@pytest.fixture
def launched(plan, people, django_capture_on_commit_callbacks):
    ProblemNodeFactory(plan=plan, statement="Early school leaving")
    ActionFactory(plan=plan, number=1, title="Homework club in the oratory")
    ActionFactory(plan=plan, number=2, title="Night walk for safer streets")
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="reviewed", review_round=1)
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(plan, "approve", by=people["city_coordinator"])
    return plan


def test_approving_a_plan_renders_the_pdf_of_the_new_version_in_the_background(launched):
    document = VersionDocument.objects.get()
    assert (document.version.label, document.format, document.language) == ("1.0", "pdf", "en")
    text = pdf_text(bytes(document.content))
    assert "Homework club in the oratory" in text and "Night walk for safer streets" in text
    assert "version 1.0" in text


def test_a_visitor_downloads_the_stored_pdf_without_rendering_it_again(
    launched, client_as, monkeypatch
):
    def no_rendering(*args, **kwargs):
        raise AssertionError("the stored PDF should have been served")

    monkeypatch.setattr(documents, "version_pdf", no_rendering)
    response = client_as(None).get(_url("pdf", launched))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "-1.0.pdf" in response["Content-Disposition"]
    assert response.content == bytes(VersionDocument.objects.get().content)


def test_the_visitors_pdf_is_the_launched_version_not_the_later_edits(launched, people, client_as):
    LocalActionPlan.objects.filter(pk=launched.pk).update(status="draft")
    launched.refresh_from_db()
    services.add_action(launched, by=people["city_coordinator"], title="Added after the launch")
    text = pdf_text(client_as(None).get(_url("pdf", launched)).content)
    assert "Homework club in the oratory" in text and "Added after the launch" not in text


def test_the_first_request_in_another_language_has_it_made_and_then_kept(launched, client_as):
    client = client_as(None)
    response = client.get(in_language(_url("pdf", launched), "it"))
    assert response.status_code == 200  # tasks run at once here, so it is there already
    assert set(VersionDocument.objects.values_list("language", flat=True)) == {"en", "it"}
    assert "Piano d'azione locale" in pdf_text(response.content) or "versione" in pdf_text(
        response.content
    )


def test_while_the_worker_has_not_made_it_yet_the_visitor_is_told_to_wait(
    launched, client_as, monkeypatch
):
    VersionDocument.objects.all().delete()
    queued = []
    monkeypatch.setattr(tasks, "request_version_pdf", lambda version, lang: queued.append(lang))
    response = client_as(None).get(_url("pdf", launched))
    assert response.status_code == 202
    html = response.content.decode()
    assert "being prepared" in html and 'http-equiv="refresh"' in html
    assert queued == ["en"]


def test_an_earlier_version_is_served_by_its_label(launched, people, client_as):
    PlanVersion.objects.create(
        plan=launched, major=1, minor=1, snapshot={**PlanVersion.objects.get().snapshot,
                                                   "title": "Second launch"},
    )  # fmt: skip
    client = client_as(None)
    assert "Second launch" in pdf_text(client.get(_url("pdf", launched)).content)
    old = client.get(_url("pdf", launched) + "?version=1.0")
    assert old.status_code == 200 and "Second launch" not in pdf_text(old.content)
    assert client.get(_url("pdf", launched) + "?version=7.3").status_code == 404


@pytest.mark.parametrize("name", ["docx", "actions_csv", "indicators_csv"])
def test_visitors_get_no_working_documents_even_of_a_launched_plan(name, launched, client_as):
    assert client_as(None).get(_url(name, launched)).status_code == 403


def test_the_launched_page_links_its_pdf(launched, client_as):
    html = client_as(None).get(_url("plan", launched)).content.decode()
    assert _url("pdf", launched) + "?version=1.0" in html


def test_without_weasyprint_a_visitor_is_told_why(launched, client_as, monkeypatch):
    VersionDocument.objects.all().delete()
    monkeypatch.setattr(documents, "pdf_available", lambda: False)
    response = client_as(None).get(_url("pdf", launched))
    assert response.status_code == 503
    assert "cannot make PDF files" in response.content.decode()


def test_rendering_twice_stores_one_document(launched):
    version = PlanVersion.objects.get()
    tasks.render_version_pdf.call_local(version.pk, "en")
    assert VersionDocument.objects.count() == 1


# The working plan's PDF, for those who may read the working plan ---------------------------------


def test_the_working_plans_pdf_is_kept_until_the_plan_changes(plan, people, client_as, monkeypatch):
    from conet.actionplans.models import WorkingDocument

    ActionFactory(plan=plan, number=1, title="Homework club in the oratory")
    client = client_as(people["city_coordinator"])
    first = client.get(_url("pdf", plan))
    assert first.status_code == 200
    assert "Homework club in the oratory" in pdf_text(first.content)
    assert WorkingDocument.objects.count() == 1

    def no_rendering(*args, **kwargs):
        raise AssertionError("the kept PDF should have been served")

    monkeypatch.setattr(documents, "html_to_pdf", no_rendering)
    again = client.get(_url("pdf", plan))
    assert again.status_code == 200 and again.content == first.content
    monkeypatch.undo()

    services.add_action(plan, by=people["city_coordinator"], title="Night walk for safer streets")
    changed = client.get(_url("pdf", plan))
    assert "Night walk for safer streets" in pdf_text(changed.content)
    assert WorkingDocument.objects.count() == 2


def test_while_the_working_pdf_is_being_made_the_reader_is_told_to_wait(
    plan, people, client_as, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "render_working_pdf", lambda *args: queued.append(args[0]))
    response = client_as(people["lead_expert"]).get(_url("pdf", plan))
    assert response.status_code == 202
    assert "being prepared" in response.content.decode() and queued == [plan.pk]


def test_only_the_last_few_working_pdfs_of_a_plan_are_kept(plan):
    from conet.actionplans.models import WorkingDocument

    html = "<html><body><p>{}</p></body></html>"
    for n in range(tasks.KEEP_WORKING_DOCUMENTS + 2):
        tasks.render_working_pdf.call_local(plan.pk, f"print-{n}", html.format(n))
    kept = list(WorkingDocument.objects.order_by("pk").values_list("fingerprint", flat=True))
    assert kept == [f"print-{n}" for n in range(2, tasks.KEEP_WORKING_DOCUMENTS + 2)]
