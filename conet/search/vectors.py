"""The meaning side of search: every stored vector in one numpy matrix, cached per process.

A 20,000 × 384 float32 matrix is 30 MB and one product with a query vector takes milliseconds, so
there is no vector database. Each process keeps the matrix and reloads it when the index counter
in the database (bumped by every write to the index) has moved since it was loaded.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import numpy as np
from django.db.models import F

from conet.search.models import IndexCounter, SearchDocument, SearchVector

COUNTER = "index"


def bump_counter() -> None:
    """Tell every process that its matrix is stale (call inside the writing transaction)."""
    token = uuid.uuid4().hex
    if not IndexCounter.objects.filter(name=COUNTER).update(value=F("value") + 1, token=token):
        IndexCounter.objects.get_or_create(name=COUNTER, defaults={"value": 1, "token": token})


def counter_value() -> str:
    """The index's current version, as "value:token" (one query)."""
    row = IndexCounter.objects.filter(name=COUNTER).values_list("value", "token").first()
    return f"{row[0]}:{row[1]}" if row else "0:"


@dataclass
class VectorIndex:
    version: str
    backend: str
    doc_ids: np.ndarray  # SearchDocument ids, ascending, one per document with vectors
    object_ids: np.ndarray
    starts: np.ndarray  # first matrix row of each document
    matrix: np.ndarray  # one row per chunk
    facets: dict[str, np.ndarray]  # kind, language, country, network, city_size, core_tasks
    titles: np.ndarray | None = None  # one per document (the ranking's hubness bank reads them)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Each document's best cosine similarity over its chunks."""
        if not len(self.doc_ids):
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.matrix @ query, self.starts)

    def mask(self, filters: dict) -> np.ndarray:
        keep = np.ones(len(self.doc_ids), dtype=bool)
        if filters.get("kind"):
            keep &= np.isin(self.facets["kind"], list(filters["kind"]))
        for field in ("language", "country", "network", "city_size"):
            if filters.get(field):
                keep &= self.facets[field] == filters[field]
        if filters.get("core_task"):
            needle = f"|{filters['core_task']}|"
            keep &= np.char.find(self.facets["core_tasks"], needle) >= 0
        return keep

    def vector_of(self, document_id: int) -> np.ndarray | None:
        """A document's own direction: the normalised mean of its chunks."""
        at = int(np.searchsorted(self.doc_ids, document_id))
        if at >= len(self.doc_ids) or self.doc_ids[at] != document_id:
            return None
        end = self.starts[at + 1] if at + 1 < len(self.starts) else len(self.matrix)
        mean = self.matrix[self.starts[at] : end].mean(axis=0)
        norm = np.linalg.norm(mean)
        return mean / norm if norm else None

    def top(self, scores: np.ndarray, keep: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(document id, score) of the best `limit` kept documents."""
        candidates = np.flatnonzero(keep)
        if not len(candidates) or limit <= 0:
            return []
        chosen = scores[candidates]
        if len(candidates) > limit:
            best = np.argpartition(-chosen, limit - 1)[:limit]
        else:
            best = np.arange(len(candidates))
        best = best[np.argsort(-chosen[best], kind="stable")]
        return [(int(self.doc_ids[candidates[i]]), float(chosen[i])) for i in best]


_lock = threading.Lock()
_cached: VectorIndex | None = None
_reloading: threading.Thread | None = None

FACETS = ("kind", "language", "country", "network", "city_size", "core_tasks")
# Loading 60,000 vectors (20,000 practices) takes seconds on two cores. Above this many rows a
# process keeps answering from the matrix it has while a thread loads the new one, so a save never
# makes the next search wait; a small index (tests, a single network) reloads at once.
BACKGROUND_RELOAD_ROWS = 20_000


def current_index(backend_name: str) -> VectorIndex:
    """The matrix for `backend_name`, reloaded when the index counter moved (one query when not)."""
    global _cached
    version = counter_value()
    cached = _cached
    if cached is not None and cached.version == version and cached.backend == backend_name:
        return cached
    if (
        cached is not None
        and cached.backend == backend_name
        and len(cached.matrix) >= BACKGROUND_RELOAD_ROWS
    ):
        _reload_in_background(version, backend_name)
        return cached
    with _lock:
        cached = _cached
        if cached is None or cached.version != version or cached.backend != backend_name:
            cached = _load(version, backend_name)
            _cached = cached
    return cached


def _reload_in_background(version: str, backend_name: str) -> None:
    global _reloading
    with _lock:
        if _reloading is not None and _reloading.is_alive():
            return  # the running reload is at most one change behind; the next search catches up

        def reload() -> None:
            global _cached
            from django.db import connection

            try:
                loaded = _load(version, backend_name)
                _prepare(loaded)  # the ranking's per-matrix work, off the request path too
                _cached = loaded
            finally:
                connection.close()  # this thread's own connection

        _reloading = threading.Thread(target=reload, name="conet-search-reload", daemon=True)
        _reloading.start()


def _prepare(index: VectorIndex) -> None:
    from conet.search import embeddings, ranking

    backend = embeddings.backend()
    if backend.enabled and backend.name == index.backend:
        ranking.prepare(index, backend)


def forget() -> None:
    global _cached, _reloading
    if _reloading is not None:
        _reloading.join()
    _cached = None
    _reloading = None


def _load(version: str, backend_name: str) -> VectorIndex:
    rows = list(
        SearchVector.objects.filter(backend=backend_name)
        .order_by("document_id", "chunk")
        .values_list("document_id", "vector")
    )
    row_docs = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    if rows:
        matrix = np.frombuffer(b"".join(bytes(row[1]) for row in rows), dtype="<f4")
        matrix = matrix.reshape(len(rows), -1).astype(np.float32)
    else:
        matrix = np.zeros((0, 1), dtype=np.float32)
    doc_ids, starts = np.unique(row_docs, return_index=True)
    meta = {
        row[0]: row[1:]
        for row in SearchDocument.objects.values_list("id", "object_id", *FACETS, "title").iterator(
            chunk_size=5000
        )
    }
    # A vector whose document vanished between the two reads is dropped with it.
    known = np.fromiter((int(d) in meta for d in doc_ids), dtype=bool, count=len(doc_ids))
    if not known.all():
        keep_rows = np.isin(row_docs, doc_ids[known])
        return _load_from(version, backend_name, row_docs[keep_rows], matrix[keep_rows], meta)
    return _load_from(version, backend_name, row_docs, matrix, meta, doc_ids, starts)


def _load_from(version, backend_name, row_docs, matrix, meta, doc_ids=None, starts=None):
    if doc_ids is None:
        doc_ids, starts = np.unique(row_docs, return_index=True)
    columns = list(zip(*(meta[int(d)] for d in doc_ids), strict=True)) if len(doc_ids) else []
    object_ids = np.asarray(columns[0] if columns else [], dtype=np.int64)
    facets = {
        name: np.asarray(columns[i + 1] if columns else [], dtype=str)
        for i, name in enumerate(FACETS)
    }
    titles = None
    if len(columns) == len(FACETS) + 2:
        titles = np.asarray(columns[-1], dtype=object)
    elif not columns:
        titles = np.asarray([], dtype=object)
    return VectorIndex(
        version=version,
        backend=backend_name,
        doc_ids=doc_ids.astype(np.int64),
        object_ids=object_ids,
        starts=np.asarray(starts, dtype=np.int64),
        matrix=matrix,
        facets=facets,
        titles=titles,
    )
