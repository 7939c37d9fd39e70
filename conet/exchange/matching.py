"""Who and what fits a support request: the score formula, free of the database.

Each candidate expert gets four reasons, each between 0 and 1:

- **meaning** — how close the request's text is to the profile's text, across languages: the
  cosine of their multilingual-e5 vectors (request as a "query", profile as a "passage"), rescaled
  so that e5's typical floor counts as nothing: ``clamp((cos − 0.75) / 0.15)``. e5 puts unrelated
  texts near 0.75 and close paraphrases above 0.9, so this spreads the useful range over 0…1.
- **languages** — the share of the request's working languages that the expert speaks.
- **core tasks** — the share of the request's core tasks that the expert works on.
- **availability** — the share of the preferred days on which the expert is available
  (no preferred dates: 0 for everyone, so it does not decide).

    score = 0.55 · meaning + 0.2 · core tasks + 0.15 · languages + 0.1 · availability

With embeddings switched off, meaning is 0 for everyone and the other reasons still rank, with
its weight left out (their weights are scaled to sum to 1, so scores stay comparable between
candidates). Ties are broken by name, so the order is stable.

Practices are matched on meaning and core tasks only (they have no languages or dates):

    score = 0.8 · meaning + 0.2 · core tasks

A request posted without core tasks gets them from its text (`infer_core_tasks`): the request's
vector against each core task's name and description, the best one and any other within
`CORE_TASK_MARGIN` of it, at most `MAX_INFERRED`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

MEANING_FLOOR = 0.75
MEANING_SPAN = 0.15

CORE_TASK_MARGIN = 0.01
MAX_INFERRED = 2

EXPERT_WEIGHTS = {"meaning": 0.55, "core_tasks": 0.2, "languages": 0.15, "availability": 0.1}
PRACTICE_WEIGHTS = {"meaning": 0.8, "core_tasks": 0.2}


@dataclass(frozen=True)
class Need:
    """The request as the formula sees it."""

    vector: np.ndarray | None
    languages: frozenset[str]
    core_tasks: frozenset
    preferred: tuple[date, date] | None


@dataclass(frozen=True)
class Offer:
    """One expert (or practice) as the formula sees it; `key` identifies it to the caller."""

    key: object
    name: str
    vector: np.ndarray | None
    languages: frozenset[str] = frozenset()
    core_tasks: frozenset = frozenset()
    available: tuple[tuple[date, date], ...] = ()
    cosine: float | None = None  # already known (e.g. from the search index), else from vectors


@dataclass
class Match:
    key: object
    name: str
    score: float
    reasons: dict[str, float]
    shared_languages: list[str] = field(default_factory=list)
    shared_core_tasks: list = field(default_factory=list)
    cosine: float | None = None


def infer_core_tasks(vector: np.ndarray | None, tasks: Sequence[tuple[object, np.ndarray]]):
    """The keys of the core tasks the request's text is about (see the module's docstring);
    empty without a vector or tasks."""
    if vector is None or not tasks:
        return frozenset()
    cosines = [(float(np.dot(vector, task_vector)), key) for key, task_vector in tasks]
    cosines.sort(key=lambda pair: -pair[0])
    best = cosines[0][0]
    return frozenset(
        key for cosine, key in cosines[:MAX_INFERRED] if cosine >= best - CORE_TASK_MARGIN
    )


def meaning(cosine: float | None) -> float:
    if cosine is None:
        return 0.0
    return float(min(1.0, max(0.0, (cosine - MEANING_FLOOR) / MEANING_SPAN)))


def share(wanted: Iterable, offered: Iterable) -> float:
    wanted, offered = set(wanted), set(offered)
    if not wanted:
        return 0.0
    return len(wanted & offered) / len(wanted)


def overlap_days(preferred: tuple[date, date] | None, available: Sequence[tuple[date, date]]):
    """The share of preferred days covered by the availability ranges (ranges may overlap)."""
    if preferred is None or not available:
        return 0.0
    start, end = preferred
    total = (end - start).days + 1
    covered: set[int] = set()
    for a_start, a_end in available:
        first, last = max(start, a_start), min(end, a_end)
        if first <= last:
            covered.update(range((first - start).days, (last - start).days + 1))
    return len(covered) / total if total > 0 else 0.0


def _weights(base: dict[str, float], with_meaning: bool) -> dict[str, float]:
    if with_meaning:
        return dict(base)
    rest = {name: weight for name, weight in base.items() if name != "meaning"}
    total = sum(rest.values())
    return {"meaning": 0.0, **{name: weight / total for name, weight in rest.items()}}


def _cosines(need: Need, offers: Sequence[Offer]) -> list[float | None]:
    cosines = []
    for offer in offers:
        if offer.cosine is not None:
            cosines.append(float(offer.cosine))
        elif need.vector is not None and offer.vector is not None:
            cosines.append(float(np.dot(need.vector, offer.vector)))
        else:
            cosines.append(None)
    return cosines


def rank_experts(
    need: Need, offers: Sequence[Offer], *, weights: dict[str, float] | None = None
) -> list[Match]:
    """Every offer scored and sorted, best first."""
    cosines = _cosines(need, offers)
    weights = _weights(weights or EXPERT_WEIGHTS, any(c is not None for c in cosines))
    matches = []
    for offer, cosine in zip(offers, cosines, strict=True):
        reasons = {
            "meaning": meaning(cosine),
            "core_tasks": share(need.core_tasks, offer.core_tasks),
            "languages": share(need.languages, offer.languages),
            "availability": overlap_days(need.preferred, offer.available),
        }
        matches.append(
            Match(
                key=offer.key,
                name=offer.name,
                score=sum(weights[name] * value for name, value in reasons.items()),
                reasons=reasons,
                shared_languages=sorted(need.languages & offer.languages),
                shared_core_tasks=sorted(need.core_tasks & offer.core_tasks, key=str),
                cosine=cosine,
            )
        )
    return sorted(matches, key=lambda match: (-match.score, match.name))


def rank_practices(
    need: Need, offers: Sequence[Offer], *, weights: dict[str, float] | None = None
) -> list[Match]:
    cosines = _cosines(need, offers)
    weights = _weights(weights or PRACTICE_WEIGHTS, any(c is not None for c in cosines))
    matches = []
    for offer, cosine in zip(offers, cosines, strict=True):
        reasons = {
            "meaning": meaning(cosine),
            "core_tasks": share(need.core_tasks, offer.core_tasks),
        }
        matches.append(
            Match(
                key=offer.key,
                name=offer.name,
                score=sum(weights[name] * value for name, value in reasons.items()),
                reasons=reasons,
                shared_core_tasks=sorted(need.core_tasks & offer.core_tasks, key=str),
                cosine=cosine,
            )
        )
    return sorted(matches, key=lambda match: (-match.score, match.name))
