"""Measuring search quality: the relevance set of tests/data, the 97 URBACT practices as the index
sees them, and the two measures the benchmark reports (nDCG@10, recall@10).

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


def relevance_set(path: Path = RELEVANCE_SET) -> list[dict]:
    """[{query, language, relevant: {row, …}}] from tests/data/search_relevance.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        {
            "query": item["query"],
            "language": item["language"],
            "relevant": {entry["row"] for entry in item["relevant"]},
        }
        for item in data["queries"]
    ]


def ndcg_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k, with yes/no relevance."""
    gain = sum(1 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


def recall_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0
