"""Time to recompute the opinion groups (Pol.is method, conet/consultations/opinion_groups.py).

    .venv/bin/python bench/opinion_groups.py                 # both sizes
    .venv/bin/python bench/opinion_groups.py --sizes 2000x1000 --runs 9

For each size it generates a conversation with three planted opinion groups (10 % of the votes
present, 10 % of those passes) and times:

- *first*: the computation from nothing (no previous result);
- *recompute*: the computation after 1 % more votes, starting from the previous result (the axes,
  the number of groups and their numbers carried over) — what happens as votes arrive.

The baseline, measured in the same process between the runs, is one 1000 × 1000 float64 matrix
product: the ratio (computation ÷ baseline) is comparable across machines. Prints a markdown table
and writes bench/results/opinion_groups-<time>.json.
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

from conet.consultations.opinion_groups import VoteTable, compute_opinion_groups  # noqa: E402
from conet.consultations.simulation import planted_conversation  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"


def _baseline() -> float:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((1000, 1000)), rng.standard_normal((1000, 1000))
    started = time.perf_counter()
    a @ b
    return time.perf_counter() - started


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _with_more_votes(conversation, share: float, seed: int) -> VoteTable:
    table = conversation.table
    rng = np.random.default_rng(seed)
    count = max(1, int(table.vote_count * share))
    rows = rng.integers(0, table.shape[0], count)
    cols = rng.integers(0, table.shape[1], count)
    values = conversation.stances[conversation.planted[rows], cols]
    return VoteTable.from_arrays(
        table.participant_ids,
        table.statement_ids,
        np.r_[table.rows, rows],
        np.r_[table.cols, cols],
        np.r_[table.values, values],
    )


def measure(participants: int, statements: int, runs: int) -> dict:
    conversation = planted_conversation(
        participants, statements, n_groups=3, vote_share=0.1, pass_share=0.1, seed=1
    )
    more = _with_more_votes(conversation, 0.01, seed=2)
    first_times, recompute_times, baselines = [], [], []
    result = None
    for _ in range(runs):
        baselines.append(_baseline())
        started = time.perf_counter()
        result = compute_opinion_groups(conversation.table)
        first_times.append(time.perf_counter() - started)
        state = result.state()
        started = time.perf_counter()
        compute_opinion_groups(more, previous=state)
        recompute_times.append(time.perf_counter() - started)
    baseline = statistics.median(baselines)
    return {
        "participants": participants,
        "statements": statements,
        "votes": conversation.table.vote_count,
        "groups": result.n_groups,
        "placed": len(result.placed),
        "runs": runs,
        "baseline_s": baseline,
        "first_median_s": statistics.median(first_times),
        "first_p95_s": _p95(first_times),
        "recompute_median_s": statistics.median(recompute_times),
        "recompute_p95_s": _p95(recompute_times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000x1000,20000x2000")
    parser.add_argument(
        "--runs", type=int, default=0, help="runs per size (default 9, 3 above 1M votes)"
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        participants, statements = (int(part) for part in size.lower().split("x"))
        runs = args.runs or (3 if participants * statements * 0.1 > 1_000_000 else 9)
        rows.append(measure(participants, statements, runs))
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}"
    )
    print(
        "\n| participants × statements | votes | groups | first: median / p95 | recompute: median / p95 | ratio to baseline (first, median) |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['participants']:,} × {row['statements']:,} | {row['votes']:,} | {row['groups']} "
            f"| {row['first_median_s']:.3f} s / {row['first_p95_s']:.3f} s "
            f"| {row['recompute_median_s']:.3f} s / {row['recompute_p95_s']:.3f} s "
            f"| {row['first_median_s'] / row['baseline_s']:.0f}× (baseline {row['baseline_s'] * 1000:.1f} ms) |"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"opinion_groups-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "numpy": np.__version__,
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
