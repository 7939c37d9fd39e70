"""How well the matching finds what a person judged to fit: recall@k on a labelled set.

The set (tests/data/exchange_matching.json) holds invented expert profiles and support requests
in ten languages; each request names the experts and the URBACT good practices that fit it.
`evaluate()` ranks every expert and every practice for every request with the same formula the
request page uses (conet.exchange.matching) and reports the share of the fitting ones that appear
in the first k. The benchmark (bench/exchange_matching.py) and a test share this code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from conet.exchange import matching


@dataclass
class LabelledSet:
    experts: list[dict]
    requests: list[dict]
    practices: list[dict]  # name, text, core_tasks (empty: the CSV has no CoNet core tasks)


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
    """A good practice as matching sees it: name, short description, keywords (and summary)."""
    fields = [row["Name"], row["Description"], row["Kwords"]] + (
        [row["Summary"]] if summary else []
    )
    return " ".join(" ".join(field.split()) for field in fields if field.strip())


def load(path: Path, practices_csv: Path, *, practice_summary: bool = True) -> LabelledSet:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with open(practices_csv, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    practices = [
        {
            "name": " ".join(row["Name"].split()),
            "text": practice_text(row, summary=practice_summary),
        }
        for row in rows
    ]
    return LabelledSet(data["experts"], data["requests"], practices)


def _need(request: dict, vector) -> matching.Need:
    return matching.Need(
        vector=vector,
        languages=frozenset(request["languages"]),
        core_tasks=frozenset(request["core_tasks"]),
        preferred=_dates(request["preferred"]) if request.get("preferred") else None,
    )


def recall_at(ranked: list, wanted: list, k: int) -> float:
    return len(set(ranked[:k]) & set(wanted)) / len(wanted)


@dataclass
class Vectors:
    requests: np.ndarray | None
    experts: np.ndarray | None
    practices: np.ndarray | None


def embed(labelled: LabelledSet, backend) -> Vectors:
    if not backend.enabled:
        return Vectors(None, None, None)
    # Only the practices some request names are needed by the recall, but every practice competes.
    return Vectors(
        backend.queries([request_text(r) for r in labelled.requests]),
        backend.passages([expert_text(e) for e in labelled.experts]),
        backend.passages([p["text"] for p in labelled.practices]),
    )


def evaluate(
    labelled: LabelledSet,
    vectors: Vectors,
    *,
    k: int = 5,
    mode: str = "full",
    untagged: bool = False,
) -> dict:
    """Mean recall@k for experts and practices. mode: "full" (the formula), "meaning" (cosine
    only), or "no_meaning" (the formula as it runs with embeddings switched off). `untagged`:
    the requests as a city posts them without core tasks (only languages and dates are left)."""
    expert_weights = {
        "full": None,
        "meaning": {"meaning": 1.0, "core_tasks": 0.0, "languages": 0.0, "availability": 0.0},
        "no_meaning": None,
    }[mode]
    practice_weights = {"full": None, "meaning": {"meaning": 1.0, "core_tasks": 0.0}}.get(mode)
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
    practice_offers = [
        matching.Offer(
            key=practice["name"],
            name=practice["name"],
            vector=vectors.practices[i] if use_vectors else None,
        )
        for i, practice in enumerate(labelled.practices)
    ]
    expert_recalls, practice_recalls = [], []
    for i, request in enumerate(labelled.requests):
        if untagged:
            request = {**request, "core_tasks": []}
        need = _need(request, vectors.requests[i] if use_vectors else None)
        if request["experts"]:
            ranked = matching.rank_experts(need, expert_offers, weights=expert_weights)
            expert_recalls.append(recall_at([m.key for m in ranked], request["experts"], k))
        if request["practices"] and use_vectors:
            ranked = matching.rank_practices(need, practice_offers, weights=practice_weights)
            practice_recalls.append(recall_at([m.key for m in ranked], request["practices"], k))
    return {
        "experts": float(np.mean(expert_recalls)) if expert_recalls else None,
        "practices": float(np.mean(practice_recalls)) if practice_recalls else None,
        "requests": len(labelled.requests),
    }
