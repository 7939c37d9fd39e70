"""Reading translated texts: what a page shows in the reader's language, and what editors miss.

A page calls `attach(objects)` once for everything it shows: one query, however many objects and
fields. `shown(obj, field)` then picks the reader's version without touching the database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils import translation

from conet.core.models import ContentTranslation, MachineTranslationRequest
from conet.core.translations import registry

_CACHE = "_content_translations"  # on each object: {language: {field: ContentTranslation}}


def source_hash(text: str) -> str:
    """What a translation remembers of the original it was made from."""
    return hashlib.sha256((text or "").encode()).hexdigest()


def reader_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


# Languages that write the names of languages in small letters ("originale in inglese").
_LOWER_CASE_LANGUAGE_NAMES = {"it", "fr", "es", "ro", "pl", "sv", "bg"}


def language_name(code: str) -> str:
    """The name of a language in the reader's language, as a sentence there would write it."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    if reader_language() in _LOWER_CASE_LANGUAGE_NAMES:
        return name[:1].lower() + name[1:]
    return name


def attach(objects: Iterable[Model], language: str | None = None) -> None:
    """Fetch the translations into `language` (the reader's) of every registered field of
    `objects`, in one query, and keep them on the objects for `shown()`."""
    language = language or reader_language()
    by_type: dict[int, dict[int, Model]] = defaultdict(dict)
    for obj in objects:
        translatable = registry.for_model(type(obj)) if obj is not None else None
        if translatable is None:
            continue
        cache = obj.__dict__.setdefault(_CACHE, {})
        if language in cache:
            continue
        cache[language] = {}
        if translatable.language(obj) == language:
            continue  # the reader reads the original: nothing to fetch
        content_type = ContentType.objects.get_for_model(obj)  # cached by Django after the first
        by_type[content_type.pk][obj.pk] = obj
    if not by_type:
        return
    condition = Q()
    for content_type_id, objs in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=list(objs))
    for row in ContentTranslation.objects.filter(condition, language=language):
        by_type[row.content_type_id][row.object_id].__dict__[_CACHE][language][row.field] = row


@dataclass(frozen=True)
class ShownText:
    """One text as a reader sees it."""

    text: str  # what the page shows
    language: str  # the language of `text` (the page's `lang` attribute)
    original: str
    original_language: str
    translated: bool = False  # a translation into the reader's language is shown
    machine: bool = False  # … made by a machine
    outdated: bool = False  # … from an earlier version of the original
    reader: str = ""  # the reader's language

    @property
    def needs_note(self) -> bool:
        """The reader sees the original in another language: the page says which."""
        return bool(self.text) and not self.translated and self.language != self.reader


def shown(obj: Model, field: str, language: str | None = None) -> ShownText:
    translatable = registry.for_model(type(obj))
    original = getattr(obj, field) or ""
    if translatable is None:
        original_language = getattr(obj, "language", "") or settings.LANGUAGE_CODE
        return ShownText(
            original,
            original_language,
            original,
            original_language,
            reader=language or reader_language(),
        )
    original_language = translatable.language(obj)
    language = language or reader_language()
    plain = ShownText(original, original_language, original, original_language, reader=language)
    if not original or language == original_language:
        return plain
    attach([obj], language)  # no query when the page attached already
    row = obj.__dict__[_CACHE][language].get(field)
    if row is None or not row.text:
        return plain
    return ShownText(
        text=row.text,
        language=language,
        original=original,
        original_language=original_language,
        translated=True,
        machine=row.origin == ContentTranslation.Origin.MACHINE,
        outdated=row.source_hash != source_hash(original),
        reader=language,
    )


@dataclass(frozen=True)
class Cell:
    """One field in one language, for the editor's table."""

    field: str
    language: str
    translation: ContentTranslation | None
    outdated: bool

    @property
    def state(self) -> str:
        if self.translation is None:
            return "missing"
        return "outdated" if self.outdated else "current"


@dataclass(frozen=True)
class Overview:
    translatable: registry.Translatable
    obj: Model
    original_language: str
    languages: list[str]  # every platform language but the original's
    rows: list[tuple[str, str, str, list[Cell]]]  # (field, label, original text, cells)
    last_request: MachineTranslationRequest | None

    @property
    def missing(self) -> int:
        return sum(
            1 for _f, _l, text, cells in self.rows if text for c in cells if c.state == "missing"
        )

    @property
    def outdated(self) -> int:
        return sum(1 for *_x, cells in self.rows for c in cells if c.state == "outdated")


def translations_of(obj: Model) -> list[ContentTranslation]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        ContentTranslation.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("updated_by")
        .order_by("field", "language")
    )


def overview(obj: Model) -> Overview:
    """Every translatable field of `obj` × every other language: present, outdated or missing.
    Two queries: the translations, and the latest machine translation request."""
    translatable = registry.for_model(type(obj))
    if translatable is None:
        raise LookupError(f"{type(obj).__name__} has no translatable texts")
    original_language = translatable.language(obj)
    languages = [code for code, _name in settings.LANGUAGES if code != original_language]
    stored = {(row.field, row.language): row for row in translations_of(obj)}
    rows = []
    for field in translatable.fields:
        original = translatable.original(obj, field)
        current = source_hash(original)
        cells = []
        for language in languages:
            row = stored.get((field, language))
            cells.append(Cell(field, language, row, row is not None and row.source_hash != current))
        rows.append((field, translatable.label(field), original, cells))
    last_request = (
        MachineTranslationRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return Overview(translatable, obj, original_language, languages, rows, last_request)


def find(key: str, object_id: int) -> tuple[registry.Translatable, Model]:
    """The registered kind and the object an address or API call names; LookupError if none."""
    return registry.find(key, object_id)
