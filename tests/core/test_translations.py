"""Every shipped string is translated into the nine other interface languages."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

PACKAGE = Path(settings.BASE_DIR)
LOCALE = PACKAGE / "locale"
# Apps that keep a catalogue of their own, in <app>/locale/.
APP_LOCALES = sorted(path for path in PACKAGE.glob("*/locale") if path.is_dir())
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalogue(locale: Path, language: str) -> polib.POFile:
    return polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize(
    "locale", [LOCALE, *APP_LOCALES], ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_catalogue_is_complete_and_keeps_placeholders(locale, language):
    catalogue = _catalogue(locale, language)
    assert catalogue.metadata.get("Language") == language
    if locale == LOCALE:
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
    """The German catalogues (as a stand-in for all) hold every msgid that the templates use."""
    project = {entry.msgid for entry in _catalogue(LOCALE, "de")}
    template_dirs = [(PACKAGE / "templates", project)]
    for app in PACKAGE.iterdir():
        if (app / "templates").is_dir():
            own = app / "locale"
            known = project | {e.msgid for e in _catalogue(own, "de")} if own.is_dir() else project
            template_dirs.append((app / "templates", known))
    pattern = re.compile(r'{% translate "([^"]+)"')
    missing = set()
    for folder, known in template_dirs:
        for template in folder.rglob("*.html"):
            # makemessages stores a template's "%" as "%%", and the translate tag looks it up so.
            found = {text.replace("%", "%%") for text in pattern.findall(template.read_text())}
            missing |= {f"{template.name}: {text}" for text in found - known}
    assert missing == set()
