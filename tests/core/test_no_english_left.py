"""No interface string left in English on a page in another language.

Every public page (the visitor's crawl of the demo) and every resident page (joining a workshop,
its board and projector, a consultation's voting page) is rendered in English and in each of the
nine other languages. A text of the page is English left over when

- it is the same in the English page and in the other language's page, and it is not content
  (names, titles and texts stored in the database, in whatever language they were written), nor
  a name, a number or a code, nor a word the translation keeps as it is ("Status" in German); or
- an English interface phrase (a catalogue entry, or a part of one between its placeholders)
  appears inside it: "visiting expert ha riferito…" is caught although the sentence as a whole
  differs from the English one.

The catalogues themselves (complete, not fuzzy, placeholders kept) are checked by
tests/core/test_translations.py; this test adds that every string the Python code marks for
translation is in a catalogue. The live board's socket messages are checked in every language
by tests/workshops/test_board_languages.py.
"""

import ast
import itertools
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from conet.accounts.models import User
from conet.consultations.models import Consultation
from conet.core.demo import run_demo
from conet.core.languages import in_language
from conet.workshops.models import Workshop
from tests.crawl import crawl

pytestmark = pytest.mark.once

PACKAGE = Path(settings.BASE_DIR)
CATALOGUES = [PACKAGE / "locale", *sorted(p for p in PACKAGE.glob("*/locale") if p.is_dir())]
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
WORD = re.compile(r"[^\W\d_]{3,}")
# Texts that are the same in every language by design: the site's name, technical names a
# translation keeps (format names, "API"), the bot trap's bait (never shown to people).
SAME_IN_EVERY_LANGUAGE = {
    "CoNet",
    "API",
    "CSV",
    "PDF",
    "DOCX",
    "GeoJSON",
    "iCal",
    "URBACT",
    "Atom",
    "NON seguire questo link o sarai bannato dal sito!",
    # Each language by its own name (the search's "written in" choices).
    *(name for _code, name in settings.LANGUAGES),
}
# A resident in the demo: the Romanian workshop's join code and the Italian consultation.
FACILITATOR = "albaiulia@conet.example"


class _VisibleText(HTMLParser):
    """The page's visible texts, each with the language it is marked as (`lang`), skipping
    scripts, styles, the <head> and whatever another language's `lang` attribute marks."""

    SKIPPED = {"script", "style", "head", "noscript", "template", "svg"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            attributes = dict(attrs)
            # Buttons' and fields' words people read too.
            for name in ("placeholder", "value", "alt", "title", "aria-label"):
                if attributes.get(name) and (tag != "input" or name != "value"):
                    self._add(attributes[name])
            return
        attributes = dict(attrs)
        language = attributes.get("lang") or (self.stack[-1][1] if self.stack else None)
        skipped = (
            tag in self.SKIPPED
            or attributes.get("translate") == "no"  # names the page keeps as they are
            or (self.stack[-1][2] if self.stack else False)
        )
        self.stack.append((tag, language, skipped))
        if not skipped:
            for name in ("title", "aria-label", "placeholder"):
                if attributes.get(name):
                    self._add(attributes[name])

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][2]:
            return
        self._add(data)

    def _add(self, text: str):
        text = " ".join(text.split())
        if text:
            self.texts.append((text, self.stack[-1][1] if self.stack else None))


def visible_texts(html: str) -> list[tuple[str, str | None]]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _bare(text: str) -> str:
    """Without the punctuation, dashes and arrows around it: "— partner" → "partner"."""
    return _normal(text).strip(" .,:;!?()[]“”„\"'…—–-→←·|/")


def _content_of_the_database() -> tuple[set[str], str, set[str]]:
    """Every stored text (names, titles, texts of the demo's objects), as a set of whole values,
    as one blob to look a fragment up in, and as the set of its words."""
    values: set[str] = set()
    names: set[str] = set()  # the values of short fields: names, titles, codes, units
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        short = {
            f.attname
            for f in model._meta.concrete_fields
            if type(f) is models.CharField and not f.choices and (f.max_length or 0) <= 300
        }
        for row in model._default_manager.values_list(*fields):
            for field, value in zip(fields, row, strict=True):
                if isinstance(value, str) and value:
                    values.add(_normal(value))
                    if field in short:
                        names.add(_normal(value))
    blob = "\n".join(sorted(values))
    # The words of names and titles, which pages put together with others ("Monitoring:
    # Berlin"); not those of texts (descriptions, statements), or every English word would be.
    return values, blob, set(WORD.findall("\n".join(names)))


def _catalogue_entries(language: str) -> list[tuple[str, str]]:
    entries = []
    for folder in CATALOGUES:
        catalogue = polib.pofile(str(folder / language / "LC_MESSAGES" / "django.po"))
        for entry in catalogue:
            if entry.obsolete:
                continue
            translated = entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr
            entries.append((entry.msgid, translated or ""))
            if entry.msgid_plural:
                entries.append((entry.msgid_plural, entry.msgstr_plural.get(1, "")))
    return entries


class EnglishPhrases:
    """The English interface phrases whose translation in `language` differs, found by their
    first two words in a text (a dictionary look-up per word pair, not a search per phrase)."""

    def __init__(self, language: str):
        self.kept: set[str] = set()  # translated as the English text itself ("Filter" in German)
        self.kept_words: set[str] = set()
        self.by_start: dict[tuple[str, str], set[str]] = defaultdict(set)
        for msgid, _catalogued in _catalogue_entries(language):
            # What the page shows: the catalogues merged as Django merges them (Django's own
            # included), not only ours.
            with translation.override(language):
                translated = translation.gettext(msgid)
            if _bare(msgid) == _bare(translated):
                self.kept.add(_bare(msgid))
                self.kept_words.update(WORD.findall(_normal(msgid)))
                continue
            for fragment in PLACEHOLDER.split(msgid):
                words = WORD.findall(fragment)
                phrase = _normal(fragment).strip(" .,:;!?()“”\"'…—-")
                # Two words at least: one English word may be an Italian one too ("no", "come").
                if (
                    len(words) >= 2
                    and len(phrase) >= 10
                    and _normal(phrase) not in _normal(translated)
                ):
                    first = phrase.split()
                    if len(first) >= 2:
                        self.by_start[(first[0], first[1])].add(phrase)

    def found_in(self, text: str) -> set[str]:
        words = _normal(text).split()
        found = set()
        for first, second in itertools.pairwise(words):
            for phrase in self.by_start.get((first, second), ()):
                if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", _normal(text)):
                    found.add(phrase)
        return found


def _is_name_number_or_code(text: str) -> bool:
    if not WORD.search(text):  # numbers, dates, codes, punctuation
        return True
    bare = text.strip("()[] ")
    return (
        text in SAME_IN_EVERY_LANGUAGE
        or bool(re.fullmatch(r"[A-Z0-9]{2,}[\w.-]*", bare))  # a code: K17, S4, EW
        or bool(re.fullmatch(r"[A-Z][A-Za-z_]+/[A-Za-z_/]+", bare))  # a time zone: Europe/Rome
        or bool(re.fullmatch(r"https?://\S+", bare))  # an address
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(CONET_EMBEDDINGS="none"):
        run_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _resident_pages() -> list[tuple[str, Client]]:
    """(English address, the client that sees it): joining and the board through the join link,
    the projector as its facilitator, the Italian consultation's voting page."""
    workshop = Workshop.objects.filter(language="ro").exclude(status="finished").first()
    resident = Client()
    resident.post(
        in_language(reverse("workshops:join", args=[workshop.code]), "en"),
        {"display_name": "Scan"},
    )
    facilitator = Client()
    facilitator.force_login(workshop.facilitators.first() or User.objects.get(email=FACILITATOR))
    consultation = Consultation.objects.get(slug="ballaro")
    return [
        (reverse("workshops:join_start"), Client()),
        (reverse("workshops:join", args=[workshop.code]), Client()),
        (reverse("workshops:participant_board", args=[workshop.code]), resident),
        (reverse("workshops:forget_me", args=[workshop.code]), resident),
        (reverse("workshops:projector", args=[workshop.pk]), facilitator),
        (reverse("consultations:vote", args=[consultation.slug]), Client()),
        (reverse("consultations:results", args=[consultation.slug]), Client()),
    ]


def _english_left(page_en: str, page_x: str, language: str, phrases, content) -> list[str]:
    values, blob, content_words = content
    english = {text for text, _lang in visible_texts(page_en)}
    left = set()
    for text, marked in visible_texts(page_x):
        if marked not in (None, language) or _normal(text) in values:
            continue  # content, marked as written in another language, or stored as it is
        if _is_name_number_or_code(text) or _bare(text) in phrases.kept:
            continue
        # The same as on the English page, it is English unless every word of it is content (a
        # name, a title put together with others: "Monitoring: Berlin", "K17 — …") or a word the
        # translation keeps.
        suspect = phrases.found_in(text) or (
            text in english
            and set(WORD.findall(_normal(text))) - content_words - phrases.kept_words
        )
        # Last, as it is the slow look-up: not a part of a stored text (a markdown paragraph).
        if suspect and _normal(text) not in blob:
            left.add(text)
    return sorted(left)


@pytest.mark.django_db
def test_every_public_and_resident_page_has_no_interface_text_left_in_english(demo):
    visitor = Client()
    pages = [(url, visitor) for url in crawl(visitor, "/en/").one_per_pattern().values()]
    pages = [(url, client) for url, client in pages if "/api/v1/" not in url]
    pages += _resident_pages()
    assert len(pages) > 40
    content = _content_of_the_database()
    english = {}
    for url, client in pages:
        response = client.get(in_language(url, "en"))
        assert response.status_code == 200, url
        english[url] = response.content.decode()
    problems = []
    for language in OTHER_LANGUAGES:
        phrases = EnglishPhrases(language)
        for url, client in pages:
            translated = client.get(in_language(url, language))
            assert translated.status_code == 200, (url, language)
            left = _english_left(
                english[url], translated.content.decode(), language, phrases, content
            )
            problems += [f"{language} {in_language(url, language)}: {text!r}" for text in left]
    assert problems == [], f"{len(problems)} texts in English:\n" + "\n".join(problems)

    # Not blind on a real page: the Italian voting page with a heading left in English is caught.
    vote = reverse("consultations:vote", args=["ballaro"])
    italian = Client().get(in_language(vote, "it")).content.decode()
    heading = "About this consultation"
    with translation.override("it"):
        doctored = italian.replace(f">{translation.gettext(heading)}<", f">{heading}<")
    assert doctored != italian
    assert _english_left(english[vote], doctored, "it", EnglishPhrases("it"), content) == [heading]


def test_the_scan_catches_an_english_label_inside_a_translated_sentence():
    """The check above is not blind: an English word pair from the catalogue inside an Italian
    sentence, and a sentence left as the English page has it, are both found."""
    phrases = EnglishPhrases("it")
    english_page = "<main><p>Sign in</p><p>visiting expert reported</p></main>"
    italian_page = (
        '<main><p>Sign in</p><p>visiting expert ha riferito sulla visita</p><p lang="en">'
        "A garden for everyone</p><p>Palermo</p></main>"
    )
    left = _english_left(english_page, italian_page, "it", phrases, (set(), "", set()))
    assert left == ["Sign in", "visiting expert ha riferito sulla visita"]


def test_every_string_the_code_marks_for_translation_is_in_a_catalogue():
    """A `_("…")` without a catalogue entry is English on every page; makemessages is not run
    here (docs/i18n.md), so nothing else would notice."""
    known = {msgid for msgid, _text in _catalogue_entries("de")}
    marking = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
    missing = []
    for source in PACKAGE.rglob("*.py"):
        if "migrations" in source.parts or "management" in source.parts:
            continue  # commands speak English to the operator's terminal
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in marking
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in known
            ):
                missing.append(
                    f"{source.relative_to(PACKAGE)}:{node.lineno} {node.args[0].value!r}"
                )
    assert missing == []
