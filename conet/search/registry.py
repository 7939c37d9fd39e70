"""What can be found: feature apps declare their searchable things here; search never imports them.

An app registers one `Searchable` per kind in its AppConfig.ready():

    from conet.search.registry import Searchable, register

    register(Searchable(
        kind="practice",
        label=_("Good practice"),
        model=GoodPractice,
        queryset=lambda: GoodPractice.objects.select_related("city__country"),
        document=practice_document,     # instance -> SearchDocumentData, or None when not public
    ))

The search app listens to saves and deletes of every registered model and updates the index in
the background; `conet reindex` rebuilds it from `queryset()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class SearchDocumentData:
    """One thing as the index sees it. Fields and facets are plain values, never model objects."""

    title: str
    url: str
    language: str  # the language the text is written in (an interface language code)
    summary: str = ""  # short fields: embedded first, shown under the title
    body: str = ""  # the full text, embedded in chunks later
    network: str = ""  # network slug, for the network filter
    country: str = ""  # ISO 3166-1 alpha-2
    city: str = ""  # city name
    city_population: int | None = None
    core_tasks: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Searchable:
    kind: str
    label: str
    model: type[Model]
    queryset: Callable[[], QuerySet]
    # None means "not searchable now" (a draft, a private item): the index drops it.
    document: Callable[[Model], SearchDocumentData | None]
    # Found only by signed-in people (the index itself has no notion of who reads it): for things
    # whose pages need a sign-in, such as open support requests.
    members_only: bool = False


_registry: dict[str, Searchable] = {}


_by_model: dict[type, Searchable | None] = {}


def register(searchable: Searchable) -> None:
    _registry[searchable.kind] = searchable
    _by_model.clear()


def unregister(kind: str) -> None:
    """Forget a kind (tests that register a kind of their own)."""
    _registry.pop(kind, None)
    _by_model.clear()


def searchables() -> list[Searchable]:
    return list(_registry.values())


def searchable_for_model(model: type[Model]) -> Searchable | None:
    # Called on every save of every model: a cache keyed by class, emptied on each register().
    if model in _by_model:
        return _by_model[model]
    found = None
    for searchable in _registry.values():
        if searchable.model is model or issubclass(model, searchable.model):
            found = searchable
            break
    _by_model[model] = found
    return found


def get(kind: str) -> Searchable:
    return _registry[kind]
