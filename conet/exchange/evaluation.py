"""How well the matching finds what a person judged to fit: recall@k on a labelled set.

The set (tests/data/exchange_matching.json) holds invented expert profiles and support requests
in ten languages; each request names the experts and the URBACT good practices that fit it.
`evaluate()` ranks every expert and every practice for every request with the same formula the
request page uses (conet.exchange.matching) and reports the share of the fitting ones that appear
in the first k. Practices are ranked as the page ranks them: by the search index's meaning
ranking (`conet.search.ranking`) over their vectors as the index stores them (title and
description, then the long fields in windows). The benchmark (bench/exchange_matching.py) and a
test share this code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from conet.exchange import matching
from conet.networks.core_tasks import DEFAULT_CORE_TASKS


@dataclass
class LabelledSet:
    experts: list[dict]
    requests: list[dict]
    practices: list[dict]  # name, short, chunks (the CSV has no CoNet core tasks)


def core_task_texts() -> list[tuple[int, str]]:
    """(number, English name) of the seven default core tasks: what inference compares with."""
    return [(number, english) for number, (english, _german) in enumerate(DEFAULT_CORE_TASKS, 1)]


def _dates(pair) -> tuple[date, date]:
    return date.fromisoformat(pair[0]), date.fromisoformat(pair[1])


def expert_text(expert: dict) -> str:
    """The same text an ExpertProfile embeds (ExpertProfile.meaning_text)."""
    parts = [
        expert["headline"],
        ". ".join(expert["skills"]),
        ". ".join(expert["practices_led"]),
        expert["bio"],
    ]
    return "\n".join(part for part in parts if part.strip())


def request_text(request: dict) -> str:
    """The same text a SupportRequest embeds (SupportRequest.meaning_text)."""
    parts = [request["title"], request["project"], request["know_how"], request["problem"]]
    return "\n".join(part for part in parts if part.strip())


def practice_text(row: dict, *, summary: bool = True) -> str:
    """A good practice in one text: name, short description, keywords (and summary)."""
    fields = [row["Name"], row["Description"], row["Kwords"]] + (
        [row["Summary"]] if summary else []
    )
    return " ".join(" ".join(field.split()) for field in fields if field.strip())


def load(path: Path, practices_csv: Path, *, practice_summary: bool = True, split=None):
    """The labelled set; `practice_summary` False keeps only each practice's title-and-description
    vector (what the index has right after an import, and fast enough for a test); `split` keeps
    the requests of one split ("dev" or "held-out")."""
    from conet.search.embeddings import chunks
    from conet.search.evaluation import urbact_practices
    from conet.search.services import short_text

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    practices = [
        {
            "name": document.title,
            "short": short_text(document.title, document.summary),
            "chunks": chunks(document.body) if practice_summary else [],
        }
        for _row, document in urbact_practices(Path(practices_csv))
    ]
    requests = [r for r in data["requests"] if split is None or r.get("split", "dev") == split]
    return LabelledSet(data["experts"], requests, practices)


def _need(request: dict, vector, core_tasks=None) -> matching.Need:
    return matching.Need(
        vector=vector,
        languages=frozenset(request["languages"]),
        core_tasks=frozenset(request["core_tasks"] if core_tasks is None else core_tasks),
        preferred=_dates(request["preferred"]) if request.get("preferred") else None,
    )


def recall_at(ranked: list, wanted: list, k: int) -> float:
    return len(set(ranked[:k]) & set(wanted)) / len(wanted)


@dataclass
class Vectors:
    requests: np.ndarray | None
    experts: np.ndarray | None
    practices: object | None  # a conet.search.vectors.VectorIndex of the practices
    core_tasks: list[tuple[int, np.ndarray]] | None = None
    backend: object | None = None


def practice_index(labelled: LabelledSet, backend):
    """The practices as the search index holds them, in memory: row 0 of each is its title and
    description, the rows after it the windows of its long fields."""
    from conet.search.vectors import VectorIndex

    texts, starts = [], []
    for practice in labelled.practices:
        starts.append(len(texts))
        texts += [practice["short"], *practice["chunks"]]
    matrix = backend.passages(texts)
    count = len(labelled.practices)
    return VectorIndex(
        version=f"exchange-evaluation-{count}-{len(texts)}",
        backend=backend.name,
        doc_ids=np.arange(1, count + 1, dtype=np.int64),
        object_ids=np.arange(count, dtype=np.int64),
        starts=np.asarray(starts, dtype=np.int64),
        matrix=matrix,
        facets={"kind": np.asarray(["practice"] * count)},
        titles=np.asarray([p["name"] for p in labelled.practices], dtype=object),
    )


def embed(labelled: LabelledSet, backend) -> Vectors:
    if not backend.enabled:
        return Vectors(None, None, None)
    tasks = core_task_texts()
    return Vectors(
        backend.queries([request_text(r) for r in labelled.requests]),
        backend.passages([expert_text(e) for e in labelled.experts]),
        practice_index(labelled, backend),
        list(zip([n for n, _ in tasks], backend.passages([t for _, t in tasks]), strict=True)),
        backend,
    )


def practice_cosines(vectors: Vectors, request_vector: np.ndarray) -> np.ndarray:
    """Each practice's score as `conet.search.selectors.rank_by_meaning` gives it to the page."""
    from conet.search import ranking

    index = vectors.practices
    keep = np.ones(len(index.doc_ids), dtype=bool)
    ranked = ranking.rank(index, vectors.backend, request_vector, keep, 30, cut=False)
    offset = ranking.typical_offset(index, vectors.backend)
    scores = np.zeros(len(index.doc_ids))  # not in the page's 30: cosine 0, never shown
    for doc_id, score in ranked:
        scores[doc_id - 1] = score + offset
    return scores


def evaluate(
    labelled: LabelledSet,
    vectors: Vectors,
    *,
    k: int = 5,
    mode: str = "full",
    untagged: bool = False,
    infer: bool = False,
) -> dict:
    """Mean recall@k for experts and practices, overall and by language. mode: "full" (the
    formula), "meaning" (meaning only), "plain" (the plain cosine of each practice's best vector,
    the baseline), or "no_meaning" (the formula as it runs with embeddings switched off).
    `untagged`: the requests as a city posts them without core tasks; a request without core
    tasks gets them inferred from its text (`infer`)."""
    expert_weights = {
        "full": None,
        "meaning": {"meaning": 1.0, "core_tasks": 0.0, "languages": 0.0, "availability": 0.0},
        "plain": {"meaning": 1.0, "core_tasks": 0.0, "languages": 0.0, "availability": 0.0},
        "no_meaning": None,
    }[mode]
    only_meaning = {"meaning": 1.0, "core_tasks": 0.0}
    practice_weights = {"full": None, "meaning": only_meaning, "plain": only_meaning}.get(mode)
    use_vectors = mode != "no_meaning" and vectors.requests is not None
    expert_offers = [
        matching.Offer(
            key=expert["key"],
            name=expert["name"],
            vector=vectors.experts[i] if use_vectors else None,
            languages=frozenset(expert["languages"]),
            core_tasks=frozenset(expert["core_tasks"]),
            available=tuple(_dates(pair) for pair in expert["available"]),
        )
        for i, expert in enumerate(labelled.experts)
    ]
    expert_recalls, practice_recalls = {}, {}
    for i, request in enumerate(labelled.requests):
        if untagged:
            request = {**request, "core_tasks": []}
        vector = vectors.requests[i] if use_vectors else None
        tasks = None
        if not request["core_tasks"] and infer and vector is not None and vectors.core_tasks:
            tasks = matching.infer_core_tasks(vector, vectors.core_tasks)
        need = _need(request, vector, tasks)
        language = request["language"]
        if request["experts"]:
            ranked = matching.rank_experts(need, expert_offers, weights=expert_weights)
            expert_recalls.setdefault(language, []).append(
                recall_at([m.key for m in ranked], request["experts"], k)
            )
        if request["practices"] and use_vectors:
            if mode == "plain":  # the baseline: each practice's best cosine
                cosines = vectors.practices.scores(vector)
            else:
                cosines = practice_cosines(vectors, vector)
            offers = [
                matching.Offer(key=p["name"], name=p["name"], vector=None, cosine=cosines[j])
                for j, p in enumerate(labelled.practices)
            ]
            ranked = matching.rank_practices(need, offers, weights=practice_weights)
            practice_recalls.setdefault(language, []).append(
                recall_at([m.key for m in ranked], request["practices"], k)
            )

    def mean(by_language):
        values = [value for values in by_language.values() for value in values]
        return float(np.mean(values)) if values else None

    return {
        "experts": mean(expert_recalls),
        "practices": mean(practice_recalls),
        "practices by language": {
            language: round(float(np.mean(values)), 3)
            for language, values in sorted(practice_recalls.items())
        },
        "experts by language": {
            language: round(float(np.mean(values)), 3)
            for language, values in sorted(expert_recalls.items())
        },
        "requests": len(labelled.requests),
    }


def core_task_agreement(labelled: LabelledSet, vectors: Vectors) -> float:
    """The share of tagged requests whose inferred core tasks include one they were tagged with."""
    hits = []
    for i, request in enumerate(labelled.requests):
        if request["core_tasks"] and vectors.core_tasks:
            inferred = matching.infer_core_tasks(vectors.requests[i], vectors.core_tasks)
            hits.append(bool(inferred & set(request["core_tasks"])))
    return float(np.mean(hits)) if hits else 0.0
