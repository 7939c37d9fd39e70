"""Ranking by meaning: how a query's vector becomes an ordered list of documents.

Measured on 166 graded queries in ten languages over the 97 URBACT practices (docs/benchmarks.md
§3, bench/search_relevance.py); each step is kept because it raised nDCG@10 on the development
queries *and* on the held-out ones:

1. **Both halves of a document.** A document scores the mean of its title-and-summary vector
   (chunk 0) and its best chunk: the best body window alone lets one long text match everything
   it mentions once; the summary alone misses what only the body says.
2. **Hubness.** Some texts sit close to every query (a broad "integrated urban development"
   practice is near all of them), so they crowd the top of every list. Each document's typical
   score — its mean score against up to `BANK_SIZE` titles of the index itself, embedded as
   queries — is subtracted (`HUB_WEIGHT` of it). The bank comes from the documents, not from any
   query set, and is recomputed when the index changes; an index of fewer than `MIN_BANK`
   documents has no typical score to speak of and skips this step.
3. **Pseudo-relevance feedback.** The query vector is moved towards the mean direction of its
   `FEEDBACK_DOCS` best documents (`FEEDBACK_WEIGHT`) and the documents step 4 keeps are scored
   again with it: a problem told in a sentence ("our young people leave school early…") borrows
   the vocabulary of the practices that answer it. Like step 2 it needs a population: below
   `MIN_BANK` documents the "best three" are most of the index.
4. **An adaptive cut, not a fixed floor.** e5's similarities crowd into 0.7–0.9 and a fixed
   cosine floor cut some queries' lists to one document. A document is kept when it stands out
   from the index: its score is above the index's median by at least `KEEP_SHARE` of what the best
   document stands out by. When no document stands out at all (`MIN_SPREAD`), nothing is kept.
   (An index of fewer than `MIN_BANK` documents has no median to speak of: 0 stands in for it.)
5. **Words as a tie-breaker.** Documents the full-text side found get `WORDS_BONUS / √rank`: enough
   to order near-equal meanings, never enough to lift a lexical accident ("rom" in
   "Emilia-Romagna") over a document that means what was asked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

SHORT_WEIGHT = 0.5
HUB_WEIGHT = 0.75
BANK_SIZE = 128
MIN_BANK = 20  # below this many titles a "typical score" is noise: no hubness step
FEEDBACK_DOCS = 3
FEEDBACK_WEIGHT = 0.3
KEEP_SHARE = 0.2
MIN_SPREAD = 1e-4
WORDS_BONUS = 0.01


@dataclass
class Prepared:
    """What ranking needs beyond the matrix, computed once per loaded index."""

    version: str
    directions: np.ndarray  # each document's normalised mean vector
    hubness: np.ndarray  # each document's typical score against the title bank


_lock = threading.Lock()
_prepared: dict[tuple[str, str], Prepared] = {}
_bank_vectors: dict[tuple[str, str], np.ndarray] = {}  # (backend, title) → query vector


def _fill_bank(backend, titles: list[str]) -> None:
    """Query vectors of bank titles: from the shared cache where another process embedded them
    (a new process would otherwise spend seconds on its first search), else embedded here."""
    from django.core.cache import cache

    from conet.search.embeddings import from_bytes, to_bytes

    keys = {title: f"search:bank:{backend.name}:{_digest(title)}" for title in titles}
    found = cache.get_many(list(keys.values()))
    todo = []
    for title, key in keys.items():
        if key in found:
            _bank_vectors[(backend.name, title)] = from_bytes(found[key])
        else:
            todo.append(title)
    if todo:
        vectors = backend.queries(todo)
        for title, vector in zip(todo, vectors, strict=True):
            _bank_vectors[(backend.name, title)] = vector
        cache.set_many(
            {keys[t]: to_bytes(v) for t, v in zip(todo, vectors, strict=True)}, 30 * 86400
        )


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:32]


def document_scores(index, query: np.ndarray) -> np.ndarray:
    """Each document's score: the mean of its first row's and its best row's cosine."""
    if not len(index.doc_ids):
        return np.zeros(0, dtype=np.float32)
    rows = index.matrix @ query
    best = np.maximum.reduceat(rows, index.starts)
    return SHORT_WEIGHT * rows[index.starts] + (1 - SHORT_WEIGHT) * best


def _bank_titles(titles: list[str]) -> list[str]:
    """Up to BANK_SIZE titles spread evenly over the index (deterministic)."""
    if len(titles) <= BANK_SIZE:
        return titles
    step = len(titles) / BANK_SIZE
    return [titles[int(i * step)] for i in range(BANK_SIZE)]


def prepare(index, backend) -> Prepared:
    """The per-index arrays, cached per (backend, index version)."""
    key = (backend.name, index.version)
    cached = _prepared.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _prepared.get(key)
        if cached is not None:
            return cached
        ends = np.append(index.starts[1:], len(index.matrix))
        sums = np.add.reduceat(index.matrix, index.starts, axis=0) if len(index.starts) else None
        if sums is None:
            directions = np.zeros((0, index.matrix.shape[1]), dtype=np.float32)
        else:
            directions = sums / np.maximum((ends - index.starts)[:, None], 1)
            norms = np.linalg.norm(directions, axis=1, keepdims=True)
            directions = directions / np.where(norms == 0, 1, norms)
        hubness = _hubness(index, backend)
        prepared = Prepared(index.version, directions.astype(np.float32), hubness)
        for old in [k for k in _prepared if k[0] == backend.name]:
            del _prepared[old]  # one index per backend is ever current
        _prepared[key] = prepared
        return prepared


def _hubness(index, backend) -> np.ndarray:
    count = len(index.doc_ids)
    if count < MIN_BANK or index.titles is None:
        return np.zeros(count, dtype=np.float32)
    chosen = _bank_titles(
        [(int(d), str(t)) for d, t in zip(index.doc_ids, index.titles, strict=True)]
    )
    chosen = [(doc_id, title) for doc_id, title in chosen if title.strip()]
    if len(chosen) < MIN_BANK:
        return np.zeros(count, dtype=np.float32)
    missing = [title for _, title in chosen if (backend.name, title) not in _bank_vectors]
    if len(_bank_vectors) + len(missing) > 8 * BANK_SIZE:
        _bank_vectors.clear()  # titles come and go: keep the memo the size of a few banks
        missing = [title for _, title in chosen]
    if missing:
        _fill_bank(backend, list(dict.fromkeys(missing)))
    bank = np.stack([_bank_vectors[(backend.name, title)] for _, title in chosen])
    rows = index.matrix @ bank.T  # matrix rows × bank
    best = np.maximum.reduceat(rows, index.starts, axis=0)
    scores = SHORT_WEIGHT * rows[index.starts] + (1 - SHORT_WEIGHT) * best  # documents × bank
    # A document's own title is left out of its typical score (it would always match itself).
    own = np.searchsorted(index.doc_ids, [doc_id for doc_id, _ in chosen])
    totals = scores.sum(axis=1)
    counts = np.full(count, len(chosen), dtype=np.float32)
    totals[own] -= scores[own, np.arange(len(chosen))]
    counts[own] -= 1
    return (totals / counts).astype(np.float32)


def _subset_scores(index, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """`document_scores` for the documents at `positions` only (their rows, not the matrix)."""
    ends = np.append(index.starts[1:], len(index.matrix))
    lengths = ends[positions] - index.starts[positions]
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.repeat(index.starts[positions] - offsets, lengths) + np.arange(lengths.sum())
    values = index.matrix[rows] @ query
    best = np.maximum.reduceat(values, offsets)
    return SHORT_WEIGHT * values[offsets] + (1 - SHORT_WEIGHT) * best


def rank(index, backend, query, keep, limit, words=None, *, cut=True) -> list[tuple[int, float]]:
    """(document id, score) of the documents that stand out (steps 1–5 of the module's
    docstring), best first, at most `limit`; documents outside `keep` (filters) never come back.

    The cut is decided on the first scoring; feedback then re-scores only the documents kept
    (at most `limit`), so a search multiplies the matrix with one vector, not two. `cut` False
    skips the cut: the `limit` closest documents (exchange matching ranks them itself)."""
    if not len(index.doc_ids) or not keep.any():
        return []
    prepared = prepare(index, backend)
    scores = document_scores(index, query) - HUB_WEIGHT * prepared.hubness
    # The index's median is what "not about it" scores; a handful of documents has no median to
    # speak of, and there a cosine of 0 (orthogonal) is the reference.
    reference = float(np.median(scores)) if len(scores) >= MIN_BANK else 0.0
    spread = float(scores[keep].max()) - reference
    if not cut:
        standing = np.flatnonzero(keep)
    elif spread <= MIN_SPREAD:
        return []
    else:
        standing = np.flatnonzero(keep & (scores >= reference + KEEP_SHARE * spread))
    chosen = standing[np.argsort(-scores[standing], kind="stable")][:limit]
    final = scores[chosen].astype(np.float64)
    if FEEDBACK_DOCS and len(scores) >= MIN_BANK:
        best = np.argpartition(-scores, FEEDBACK_DOCS - 1)[:FEEDBACK_DOCS]
        moved = query + FEEDBACK_WEIGHT * prepared.directions[best].mean(axis=0)
        moved = moved / (np.linalg.norm(moved) or 1.0)
        final = _subset_scores(index, moved, chosen) - HUB_WEIGHT * prepared.hubness[chosen]
    if words:
        at = np.searchsorted(index.doc_ids, np.asarray(words, dtype=np.int64))
        bonus = {}
        for rank_of, (position, doc_id) in enumerate(zip(at, words, strict=True), start=1):
            if position < len(index.doc_ids) and index.doc_ids[position] == doc_id:
                bonus[int(position)] = WORDS_BONUS / np.sqrt(rank_of)
        final = final + np.asarray([bonus.get(int(p), 0.0) for p in chosen])
    order = np.argsort(-final, kind="stable")
    return [(int(index.doc_ids[chosen[i]]), float(final[i])) for i in order]


def typical_offset(index, backend) -> float:
    """What HUB_WEIGHT took off the average document: adding it back puts scores on the cosine
    scale again (exchange matching reads them as cosines)."""
    hubness = prepare(index, backend).hubness
    return float(HUB_WEIGHT * hubness.mean()) if len(hubness) else 0.0
