"""PDF from HTML with WeasyPrint, or a clear `PdfUnavailable` when the server cannot make PDFs."""

import logging

logger = logging.getLogger(__name__)


class PdfUnavailable(Exception):
    """WeasyPrint or the Pango library it needs cannot be loaded on this server."""


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or its friends are missing
        logger.warning("WeasyPrint cannot be loaded: %s", exc)
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def html_to_pdf(html: str, *, base_url: str = "", tagged: bool = False) -> bytes:
    """The PDF of `html`; raises `PdfUnavailable` so the caller can show a page that says why.

    `tagged`: a tagged PDF, whose structure (headings, figures with their `alt` text) a screen
    reader follows; without it an image's description is lost in the PDF."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url or None).write_pdf(pdf_tags=tagged)
