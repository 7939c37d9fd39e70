"""Reads of the index that the search page, the API and other apps share.

`search()` ranks by meaning (multilingual embeddings, `conet.search.ranking`) with the words
(SQLite FTS5 / PostgreSQL full text) as a tie-breaker, then adds the documents only words found
after those that meaning found; with meaning search off, or before any vector is ready, it ranks by
words alone. `similar_documents()` and `rank_by_meaning()` serve the
practice page and exchange matching; they return [] when meaning search is off.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.safestring import SafeString

from conet.search import embeddings, fulltext, registry
from conet.search import ranking as meaning_ranking
from conet.search.highlight import highlight, snippet
from conet.search.models import CitySize, SearchDocument
from conet.search.vectors import current_index

RRF_K = 60
FULLTEXT_CANDIDATES = 200
MEANING_CANDIDATES = 50
MODES = ("fused", "fulltext", "meaning")
FILTER_FIELDS = ("kind", "language", "country", "network", "city_size", "core_task")


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    title_html: SafeString
    url: str
    summary: SafeString  # a snippet with the query's words in <mark>, everything else escaped
    language: str
    score: float
    facets: dict = field(default_factory=dict)
    matched_by: tuple[str, ...] = ()  # "words", "meaning"


@dataclass
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    mode: str  # what ranked them: "fused", "fulltext" or "meaning"
    filters: dict = field(default_factory=dict)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids: each list gives an id 1/(k + rank), rank counted from 1.

    An id ranked well by both lists beats one ranked first by a single list; ties keep the order
    in which the ids were first met, so the result is deterministic."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


def normalise_filters(filters: dict | None, kinds=None) -> dict:
    """Filters as the index compares them: kind a tuple, country upper case, empty values dropped."""
    clean: dict = {}
    for name, value in (filters or {}).items():
        if name == "kinds":
            name = "kind"
        if name not in FILTER_FIELDS or value in (None, "", [], ()):
            continue
        clean[name] = value
    if kinds:
        clean["kind"] = kinds
    if "kind" in clean:
        kind = clean["kind"]
        clean["kind"] = (kind,) if isinstance(kind, str) else tuple(kind)
    if "country" in clean:
        clean["country"] = str(clean["country"]).upper()
    if "city_size" in clean and clean["city_size"] not in CitySize.values:
        clean.pop("city_size")
    for name in ("language", "network", "core_task"):
        if name in clean:
            clean[name] = str(clean[name])
    return clean


def _readable_kinds(clean: dict, signed_in: bool) -> dict:
    """Leave out the members-only kinds for a visitor, by narrowing the kind filter."""
    if signed_in:
        return clean
    hidden = {s.kind for s in registry.searchables() if s.members_only}
    if not hidden:
        return clean
    wanted = clean.get("kind") or tuple(s.kind for s in registry.searchables())
    return {**clean, "kind": tuple(kind for kind in wanted if kind not in hidden) or ("",)}


def _meaning_available():
    backend = embeddings.backend()
    if not backend.enabled:
        return None, None
    index = current_index(backend.name)
    if not len(index):
        return None, None
    return backend, index


def search(
    query: str,
    *,
    language: str,
    kinds=None,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 20,
    mode: str = "fused",
    signed_in: bool = False,
) -> SearchResults:
    """Everything that matches `query`, best first, one page of it.

    `language` is the visitor's: labels are given in it. `mode` "fulltext" or "meaning" ranks by
    one side only (the relevance benchmark compares them). Kinds registered as members-only are
    searched only when `signed_in`."""
    query = (query or "").strip()
    clean = normalise_filters(filters, kinds)
    # What the index is asked: the visitor's filters, narrowed to the kinds they may find. The
    # results report the filters as chosen (the page opens its filter box when there are any).
    scope = _readable_kinds(clean, signed_in)
    page = max(1, int(page or 1))
    per_page = max(1, min(100, int(per_page or 20)))
    terms = fulltext.query_terms(query)
    if not query:
        return SearchResults(query, [], 0, page, per_page, "fulltext", clean)

    by_words: list[int] = []
    by_meaning: list[int] = []
    backend, index = _meaning_available() if mode in ("fused", "meaning") else (None, None)
    if mode in ("fused", "fulltext"):
        # With meaning at hand, words count only when a document has every one of them: a stray
        # word of another language in a title is noise that meaning ranks better without.
        by_words = fulltext.ranked_ids(terms, scope, FULLTEXT_CANDIDATES, fallback=backend is None)
    used = "fulltext"
    fused = reciprocal_rank_fusion([by_words])
    if mode in ("fused", "meaning") and backend is not None:
        meaning_top = meaning_ranking.rank(
            index,
            backend,
            backend.query(query),
            index.mask(scope),
            MEANING_CANDIDATES,
            by_words if mode == "fused" else None,
        )
        by_meaning = [doc_id for doc_id, _ in meaning_top]
        # What only words found comes after what meaning found: a word matched by accident (a
        # short term inside a longer name) never outranks a text that means what was asked.
        found = set(by_meaning)
        lowest = meaning_top[-1][1] if meaning_top else 0.0
        fused = meaning_top + [
            (doc_id, lowest - (rank + 1) * 1e-6)
            for rank, doc_id in enumerate(d for d in by_words if d not in found)
        ]
        used = "meaning" if mode == "meaning" else "fused"
    total = len(fused)
    page = min(page, max(1, math.ceil(total / per_page)))
    chosen = fused[(page - 1) * per_page : page * per_page]
    facets = _facets([doc_id for doc_id, _ in fused])
    words, meaning = set(by_words), set(by_meaning)
    documents = SearchDocument.objects.in_bulk([doc_id for doc_id, _ in chosen])
    with translation.override(language):
        labels = {s.kind: str(s.label) for s in registry.searchables()}
        hits = [
            _hit(documents[doc_id], score, terms, labels, words, meaning)
            for doc_id, score in chosen
            if doc_id in documents
        ]
    return SearchResults(query, hits, total, page, per_page, used, clean, facets)


def _facets(doc_ids: list[int]) -> dict[str, list[tuple[str, int]]]:
    if not doc_ids:
        return {}
    rows = SearchDocument.objects.filter(pk__in=doc_ids).values_list(
        "kind", "language", "country", "city_size", "network"
    )
    counters = {name: Counter() for name in ("kind", "language", "country", "city_size", "network")}
    for row in rows:
        for name, value in zip(counters, row, strict=True):
            if value:
                counters[name][value] += 1
    return {name: counter.most_common() for name, counter in counters.items()}


def _hit(document, score, terms, labels, words=(), meaning=()) -> Hit:
    return Hit(
        kind=document.kind,
        kind_label=labels.get(document.kind, document.kind),
        object_id=document.object_id,
        title=document.title,
        title_html=highlight(document.title, terms),
        url=document.url,
        summary=snippet([document.summary, document.body], terms),
        language=document.language,
        score=round(float(score), 6),
        facets={
            "network": document.network,
            "country": document.country,
            "city": document.city,
            "city_size": document.city_size,
            "core_tasks": document.core_task_list,
        },
        matched_by=tuple(
            name for name, ids in (("words", words), ("meaning", meaning)) if document.pk in ids
        ),
    )


def similar_documents(kind: str, object_id: int, limit: int = 5) -> list[Hit]:
    """The documents of the same kind closest in meaning to this one ("similar practices").
    [] when meaning search is off or this document has no vectors yet."""
    backend, index = _meaning_available()
    if backend is None:
        return []
    document_id = (
        SearchDocument.objects.filter(kind=kind, object_id=object_id)
        .values_list("pk", flat=True)
        .first()
    )
    direction = index.vector_of(document_id) if document_id else None
    if direction is None:
        return []
    keep = index.mask({"kind": (kind,)}) & (index.doc_ids != document_id)
    top = index.top(index.scores(direction), keep, limit)
    documents = SearchDocument.objects.in_bulk([doc_id for doc_id, _ in top])
    labels = {s.kind: str(s.label) for s in registry.searchables()}
    return [
        _hit(documents[doc_id], score, [], labels) for doc_id, score in top if doc_id in documents
    ]


def rank_by_meaning(text: str, *, kind: str, limit: int = 20) -> list[tuple[int, float]]:
    """(object id, cosine similarity) of the documents of `kind` closest in meaning to `text`,
    best first; [] when meaning search is off or no vector is ready."""
    if not (text or "").strip():
        return []
    backend, index = _meaning_available()
    if backend is None:
        return []
    keep = index.mask({"kind": (kind,)})
    top = meaning_ranking.rank(index, backend, backend.query(text), keep, limit, cut=False)
    # Back on the cosine scale (callers read these as cosines), in the order search ranks them.
    offset = meaning_ranking.typical_offset(index, backend)
    position = {int(doc_id): i for i, doc_id in enumerate(index.doc_ids)}
    return [(int(index.object_ids[position[doc_id]]), score + offset) for doc_id, score in top]
