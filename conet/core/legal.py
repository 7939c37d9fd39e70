"""The legal pages (privacy notice, imprint, accessibility statement), set per installation.

Each is a Markdown file named by an environment variable (docs/operations.md). A `{language}` in
the path picks the reader's language, falling back to English; with no file, the page shows
CoNet's own translated default text.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from conet.core.markdown import render_markdown

logger = logging.getLogger("conet.legal")


@dataclass(frozen=True)
class LegalPage:
    slug: str
    setting: str
    title: Promise
    default_template: str


PAGES = {
    page.slug: page
    for page in [
        LegalPage(
            "privacy", "CONET_PRIVACY_NOTICE", _("Privacy notice"), "core/legal/privacy.html"
        ),
        LegalPage("imprint", "CONET_IMPRINT", _("Imprint"), "core/legal/imprint.html"),
        LegalPage(
            "accessibility",
            "CONET_ACCESSIBILITY_STATEMENT",
            _("Accessibility statement"),
            "core/legal/accessibility.html",
        ),
    ]
}


def installation_text(page: LegalPage, language: str) -> SafeString | None:
    """The installation's own text for `page` in `language` (or English), or None if it has none."""
    pattern = getattr(settings, page.setting, "")
    if not pattern:
        return None
    candidates = [pattern.replace("{language}", code) for code in dict.fromkeys([language, "en"])]
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return render_markdown(path.read_text(encoding="utf-8"))
    # A wrong path must not take the page down; the default text is shown and the log says why.
    logger.warning("%s names no readable file (tried %s)", page.setting, ", ".join(candidates))
    return None
