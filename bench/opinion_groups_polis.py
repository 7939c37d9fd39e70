"""CoNet's opinion groups against Pol.is's own, on the nine real conversations in
../shared/data/polis_open_data (CC BY 4.0, The Computational Democracy Project).

    .venv/bin/python bench/opinion_groups_polis.py [--data ../shared/data/polis_open_data]
    python3 -m venv /tmp/rd && /tmp/rd/bin/pip install red-dwarf   # red-dwarf beside it: not a dependency
    /tmp/rd/bin/python bench/opinion_groups_polis.py --red-dwarf

For each conversation: the votes of `votes.csv` (the last vote of each participant on each
statement, in time order; statements moderated out left out), the groups computed by
`compute_opinion_groups` from nothing, and the adjusted Rand index (ARI) against the `group-id`
Pol.is gave each participant in `participants-votes.csv`, over the participants both placed.
Prints the ARI, the number of groups of each, and how many participants each placed.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conet.consultations.opinion_groups import VoteTable, compute_opinion_groups  # noqa: E402
from tests.consultations.clustering_agreement import adjusted_rand_index  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polis_open_data"


def read_conversation(folder: Path) -> tuple[VoteTable, dict[int, int]]:
    with open(folder / "comments.csv", newline="", encoding="utf-8") as file:
        comments = list(csv.DictReader(file))
    shown = sorted(int(c["comment-id"]) for c in comments if c["moderated"] != "-1")
    shown = [c for c in shown if True]
    with open(folder / "votes.csv", newline="", encoding="utf-8") as file:
        votes = sorted(csv.DictReader(file), key=lambda v: int(v["timestamp"]))
    table = VoteTable.from_triples(
        ((int(v["voter-id"]), int(v["comment-id"]), int(v["vote"])) for v in votes),
        statement_ids=shown,
    )
    groups = {}
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["group-id"] != "":
                groups[int(row["participant"])] = int(row["group-id"])
    return table, groups


def compare(folder: Path) -> dict:
    table, polis_groups = read_conversation(folder)
    result = compute_opinion_groups(table)
    ours = {
        pid: int(group)
        for pid, group in zip(table.participant_ids, result.group_of_participant, strict=True)
        if group >= 0
    }
    both = sorted(set(ours) & set(polis_groups))
    return {
        "conversation": folder.name,
        "ari": adjusted_rand_index([ours[p] for p in both], [polis_groups[p] for p in both]),
        "groups": result.n_groups,
        "polis_groups": len(set(polis_groups.values())),
        "placed": len(ours),
        "polis_placed": len(polis_groups),
        "compared": len(both),
    }


def red_dwarf(folder: Path) -> tuple[float, int]:
    """ARI and number of groups of red-dwarf's Pol.is pipeline (PyPI `red-dwarf`) on the same votes."""
    from reddwarf.implementations.base import run_pipeline

    with open(folder / "comments.csv", newline="", encoding="utf-8") as file:
        mod_out = [int(c["comment-id"]) for c in csv.DictReader(file) if c["moderated"] == "-1"]
    with open(folder / "votes.csv", newline="", encoding="utf-8") as file:
        latest = {}
        for v in sorted(csv.DictReader(file), key=lambda v: int(v["timestamp"])):
            latest[(v["voter-id"], v["comment-id"])] = {
                "participant_id": int(v["voter-id"]),
                "statement_id": int(v["comment-id"]),
                "vote": int(v["vote"]),
                "modified": int(v["timestamp"]),
            }
    result = run_pipeline(
        votes=list(latest.values()), mod_out_statement_ids=mod_out, random_state=0
    )
    theirs = {int(p): int(g) for p, g in result.participants_df["cluster_id"].dropna().items()}
    _table, polis_groups = read_conversation(folder)
    both = sorted(set(theirs) & set(polis_groups))
    ari = adjusted_rand_index([theirs[p] for p in both], [polis_groups[p] for p in both])
    return ari, len(set(theirs.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--red-dwarf", action="store_true", help="also run red-dwarf (installed)")
    options = parser.parse_args()
    folders = sorted(p for p in options.data.iterdir() if p.is_dir())
    rows = [compare(folder) for folder in folders]
    if options.red_dwarf:
        for row, folder in zip(rows, folders, strict=True):
            row["red_dwarf"], row["red_dwarf_groups"] = red_dwarf(folder)
    extra = " red-dwarf ARI (groups) |" if options.red_dwarf else ""
    print(f"| conversation | ARI | groups (CoNet / Pol.is) | placed (CoNet / Pol.is) |{extra}")
    print("|---|---:|---:|---:|" + ("---:|" if options.red_dwarf else ""))
    for r in rows:
        theirs = f" {r['red_dwarf']:.2f} ({r['red_dwarf_groups']}) |" if options.red_dwarf else ""
        print(f"| {r['conversation']} | {r['ari']:.2f} | {r['groups']} / {r['polis_groups']} "
              f"| {r['placed']} / {r['polis_placed']} |{theirs}")  # fmt: skip
    same = sum(r["groups"] == r["polis_groups"] for r in rows)
    print(f"CoNet: median ARI {statistics.median(r['ari'] for r in rows):.3f}; "
          f"same number of groups in {same} of {len(rows)}")  # fmt: skip
    if options.red_dwarf:
        same = sum(r["red_dwarf_groups"] == r["polis_groups"] for r in rows)
        print(f"red-dwarf: median ARI {statistics.median(r['red_dwarf'] for r in rows):.3f}; "
              f"same number of groups in {same} of {len(rows)}")  # fmt: skip


if __name__ == "__main__":
    main()
