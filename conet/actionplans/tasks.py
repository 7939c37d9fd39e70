"""Background work of the action plans: the PDF of a launched version, rendered once and kept."""

import logging

from django.db import IntegrityError, transaction
from django.utils import translation
from huey.contrib.djhuey import db_task

from conet.actionplans import documents
from conet.actionplans.models import PlanVersion, VersionDocument

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
    transaction.on_commit(lambda: render_version_pdf(version.pk, language))


def request_version_pdf(version: PlanVersion, language: str) -> None:
    """For a request outside any write: the version is committed, so queue it straight away."""
    render_version_pdf(version.pk, language)
