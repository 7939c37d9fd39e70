"""Every shipped string is translated into the nine other interface languages."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_catalogue_is_complete_and_keeps_placeholders(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.metadata.get("Language") == language
    assert len(catalogue) > 300
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(text.strip() for text in translations):
            problems.append(f"untranslated: {entry.msgid!r}")
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            # A singular form may leave out the count ("1 city" → "una città").
            if found - expected or (expected - found) - {"%(counter)s"}:
                problems.append(f"placeholders differ: {entry.msgid!r} → {text!r}")
    assert problems == []


def test_catalogues_cover_every_string_in_the_source():
    """The German catalogue (as a stand-in for all) holds every msgid that the templates use."""
    catalogue = {entry.msgid for entry in polib.pofile(str(LOCALE / "de/LC_MESSAGES/django.po"))}
    pattern = re.compile(r'{% translate "([^"]+)"')
    missing = set()
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        # makemessages stores a template's "%" as "%%", and the translate tag looks it up so.
        found = {text.replace("%", "%%") for text in pattern.findall(template.read_text())}
        missing |= found - catalogue
    assert missing == set()
