"""Background work of the action plans: PDFs, which take seconds, rendered once and kept — a
launched version's per language, the working plan's by the hash of its HTML."""

import logging

from django.db import IntegrityError, transaction
from django.utils import translation
from huey.contrib.djhuey import db_task

from conet.actionplans import documents
from conet.actionplans.models import PlanVersion, VersionDocument, WorkingDocument

logger = logging.getLogger(__name__)


@db_task()
def render_version_pdf(version_pk: int, language: str) -> None:
    """Store the PDF of a launched version in `language`; nothing to do if it is already stored."""
    if VersionDocument.objects.filter(
        version_id=version_pk, format=VersionDocument.Format.PDF, language=language
    ).exists():
        return
    version = PlanVersion.objects.select_related("plan").filter(pk=version_pk).first()
    if version is None:
        return
    with translation.override(language):
        try:
            content = documents.version_pdf(version)
        except documents.PdfUnavailable:
            logger.warning("No PDF for plan version %s: WeasyPrint is unavailable", version_pk)
            return
    try:
        with transaction.atomic():
            VersionDocument.objects.create(
                version=version,
                format=VersionDocument.Format.PDF,
                language=language,
                content=content,
            )
    except IntegrityError:
        pass  # Another worker stored it first; both rendered the same frozen snapshot.


def enqueue_version_pdf(version: PlanVersion, language: str) -> None:
    """Render after the surrounding transaction commits, so the worker sees the version."""
    transaction.on_commit(lambda: render_version_pdf(version.pk, language), robust=True)


def request_version_pdf(version: PlanVersion, language: str) -> None:
    """For a request outside any write: the version is committed, so queue it straight away."""
    render_version_pdf(version.pk, language)


KEEP_WORKING_DOCUMENTS = 3  # per plan: the latest few states (languages, quick successive edits)


@db_task()
def render_working_pdf(plan_pk: int, fingerprint: str, html: str, base_url: str = "") -> None:
    """Make the PDF of the working plan from the HTML the request rendered, and keep it by the
    HTML's hash; older ones of the plan beyond the last few are dropped."""
    if WorkingDocument.objects.filter(plan_id=plan_pk, fingerprint=fingerprint).exists():
        return
    try:
        content = documents.html_to_pdf(html, base_url=base_url)
    except documents.PdfUnavailable:
        logger.warning("No PDF for plan %s: WeasyPrint is unavailable", plan_pk)
        return
    try:
        with transaction.atomic():
            WorkingDocument.objects.create(
                plan_id=plan_pk, fingerprint=fingerprint, content=content
            )
    except IntegrityError:
        return
    stale = WorkingDocument.objects.filter(plan_id=plan_pk).order_by("-rendered_at", "-pk")
    stale_ids = list(stale.values_list("pk", flat=True)[KEEP_WORKING_DOCUMENTS:])
    WorkingDocument.objects.filter(pk__in=stale_ids).delete()
