"""The guide as a PDF: the same chapters as the web pages, kept on disk per guide version and language.

Rendering the whole guide takes a few seconds (see docs/benchmarks.md), so publishing a guide
renders it in the background; a request finds the file ready, or makes it once and keeps it.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from conet.core.pdf import PdfUnavailable, html_to_pdf
from conet.core.photos.selectors import attach
from conet.practices import selectors
from conet.practices.models import Guide

__all__ = [
    "PdfUnavailable",
    "guide_pdf",
    "guide_pdf_path",
    "newest_stored_pdf",
    "render_guide_html",
]


def guide_pdf_path(guide: Guide, language: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "guides" / f"{guide.pk}-v{guide.version}-{language}.pdf"


def newest_stored_pdf(guide: Guide, language: str) -> tuple[bytes, int] | None:
    """The newest PDF kept for this guide and language, and the guide version it shows."""
    folder = Path(settings.MEDIA_ROOT) / "guides"
    found = []
    for path in folder.glob(f"{guide.pk}-v*-{language}.pdf"):
        version = path.name.split("-v", 1)[1].split("-", 1)[0]
        if version.isdigit():
            found.append((int(version), path))
    if not found:
        return None
    version, path = max(found)
    try:
        return path.read_bytes(), version
    except FileNotFoundError:  # replaced by a newer render meanwhile
        return None


def render_guide_html(guide: Guide) -> str:
    chapters = selectors.guide_contents(guide)
    # Each practice's first photo goes into the PDF: one query for all of them.
    attach(practice for chapter in chapters for practice in chapter.practices.all())
    return render_to_string("practices/guide_pdf.html", {"guide": guide, "chapters": chapters})


def guide_pdf(guide: Guide, language: str | None = None) -> bytes:
    """The PDF of this version of the guide in `language` (interface words), made once."""
    language = language or translation.get_language() or "en"
    path = guide_pdf_path(guide, language)
    if path.exists():
        return path.read_bytes()
    with translation.override(language):
        # Tagged, so that a screen reader reads the photos' descriptions (their alt text).
        pdf = html_to_pdf(render_guide_html(guide), base_url=settings.MEDIA_ROOT, tagged=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file and rename, so a reader never sees half a PDF.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    for old in path.parent.glob(f"{guide.pk}-v*-{language}.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf
