"""Measuring search quality: the relevance set of tests/data, the 97 URBACT practices as the index
sees them, and the two measures the benchmark reports (graded nDCG@10, recall@10).

The practices are read from the CSV (the copy the practices app ships) with the mapping that
`conet/practices/search.py` uses — name as title, description as summary, the long fields as body —
so the measure does not depend on a database of imported practices."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from conet.search.registry import SearchDocumentData

URBACT_CSV = settings.BASE_DIR / "practices" / "data" / "urbact_good_practices_2017.csv"
RELEVANCE_SET = settings.BASE_DIR.parent / "tests" / "data" / "search_relevance.json"
BODY_FIELDS = ("Summary", "Solution", "Approach", "Participation", "Outcomes", "Transferability")


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def urbact_practices(path: Path = URBACT_CSV) -> Iterator[tuple[int, SearchDocumentData]]:
    """(row number from 1, document) for each practice of the URBACT CSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=1):
            population = row.get("Pop", "").strip()
            yield (
                row_number,
                SearchDocumentData(
                    title=_clean(row["Name"]),
                    url=f"/practices/urbact-{row_number}/",
                    language="en",
                    summary=_clean(row["Description"]),
                    body="\n\n".join(_clean(row[name]) for name in BODY_FIELDS if row.get(name)),
                    country=row.get("CountryCode", "").strip(),
                    city=_clean(row.get("City", "")),
                    city_population=int(population) if population.isdigit() else None,
                    extra={"keywords": _clean(row.get("Kwords", ""))},
                ),
            )


def relevance_set(path: Path = RELEVANCE_SET, split: str | None = None) -> list[dict]:
    """[{query, language, style, topic, split, relevant: {row: grade, …}}] from
    tests/data/search_relevance.json (grades 1–3; a row not listed is 0); `split` keeps one split
    ("dev", "held-out" or "earlier")."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        {
            "query": item["query"],
            "language": item["language"],
            "style": item.get("style", "keyword"),
            "topic": item.get("topic", ""),
            "split": item.get("split", "earlier"),
            "relevant": {entry["row"]: entry.get("grade", 1) for entry in item["relevant"]},
        }
        for item in data["queries"]
        if split is None or item.get("split", "earlier") == split
    ]


def _grades(relevant) -> dict[int, int]:
    return dict(relevant) if isinstance(relevant, dict) else dict.fromkeys(relevant, 1)


def ndcg_at(ranked: list[int], relevant, k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k. `relevant` is {item: grade} (gain
    2^grade − 1) or a set of items (all of grade 1: yes/no relevance)."""
    grades = _grades(relevant)
    gain = sum(
        (2 ** grades.get(item, 0) - 1) / math.log2(i + 2) for i, item in enumerate(ranked[:k])
    )
    best = sorted(grades.values(), reverse=True)[:k]
    ideal = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(best))
    return gain / ideal if ideal else 0.0


def recall_at(ranked: list[int], relevant, k: int = 10) -> float:
    """The share of the relevant items (any grade) in the first k."""
    relevant = set(relevant)
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0
