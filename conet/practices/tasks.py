"""Background work of the practices app."""

import logging

from huey.contrib.djhuey import db_task

from conet.practices import documents
from conet.practices.models import Guide

logger = logging.getLogger(__name__)


@db_task(priority=10)
def render_guide_pdf(guide_id: int, language: str | None = None) -> None:
    """Make the guide's PDF of its current version, so readers do not wait for WeasyPrint."""
    guide = Guide.objects.filter(pk=guide_id).first()
    if guide is None:
        return
    try:
        documents.guide_pdf(guide, language or guide.language)
    except documents.PdfUnavailable:
        logger.warning("guide %s: no PDF, WeasyPrint cannot run here", guide_id)
