"""The stored form of a computation (OpinionResult.data) and the outlines drawn around groups.

    data = {
      "participants": [[participant id, x, y, group or -1], …],      everyone with a vote
      "groups": [{"id", "size", "centre": [x, y], "hull": [[x, y], …],
                  "representative": [{"statement", "direction", "p", "p_test", "ratio",
                                      "ratio_test", "metric", "count", "votes"}, …]}, …],
      "statements": {statement id: {"groups": [[agree, disagree, pass], …],
                                    "consensus_agree": float, "consensus_disagree": float}},
      "consensus": [{"statement", "direction", "p", "p_test", "count", "votes"}, …],
      "silhouettes": {k: score}, "k": {"k", "candidate", "wins"},
      "components": {statement id: [first, second]},
    }

Statement ids are strings in JSON; `previous_state` turns them back into ints.
"""

from dataclasses import asdict

from conet.consultations.opinion_groups import KChoice, OpinionGroups, PreviousState


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The outline of a group on the map (Andrew's monotone chain), counter-clockwise."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: list = []
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]


def _round(value: float) -> float:
    return round(float(value), 4)


def to_data(result: OpinionGroups) -> dict:
    # A table built from votes has a row only for participants who voted.
    participants = [
        [
            result.participant_ids[i],
            _round(result.positions[i, 0]),
            _round(result.positions[i, 1]),
            int(result.group_of_participant[i]),
        ]
        for i in range(len(result.participant_ids))
    ]
    statement_ids = result.statement_ids
    groups = []
    for g in range(result.n_groups):
        members = result.group_of_participant == g
        points = [(_round(x), _round(y)) for x, y in result.positions[members]]
        groups.append(
            {
                "id": g,
                "size": int(members.sum()),
                "centre": [_round(v) for v in result.group_centres[g]],
                "hull": [list(point) for point in convex_hull(points)],
                "representative": [
                    {
                        **{
                            k: (_round(v) if isinstance(v, float) else v)
                            for k, v in asdict(r).items()
                        },
                        "statement": statement_ids[r.statement],
                    }
                    for r in result.representative[g]
                ],
            }
        )
    counts = result.counts
    statements = {
        str(sid): {
            "groups": [
                [int(counts.agree[g, c]), int(counts.disagree[g, c]), int(counts.passes[g, c])]
                for g in range(result.n_groups)
            ],
            "consensus_agree": _round(result.consensus_agree[c]),
            "consensus_disagree": _round(result.consensus_disagree[c]),
        }
        for c, sid in enumerate(statement_ids)
    }
    consensus = [
        {
            **{k: (_round(v) if isinstance(v, float) else v) for k, v in asdict(item).items()},
            "statement": statement_ids[item.statement],
        }
        for item in result.consensus
    ]
    return {
        "participants": participants,
        "groups": groups,
        "statements": statements,
        "consensus": consensus,
        "silhouettes": {str(k): _round(v) for k, v in result.silhouettes.items()},
        "k": result.k_choice.to_json(),
        "components": {
            str(sid): [float(result.components[0, c]), float(result.components[1, c])]
            for c, sid in enumerate(statement_ids)
        },
    }


def previous_state(data: dict | None) -> PreviousState | None:
    if not data:
        return None
    return PreviousState(
        components={int(sid): tuple(values) for sid, values in data.get("components", {}).items()},
        group_centres=[tuple(group["centre"]) for group in data.get("groups", [])],
        k_choice=KChoice.from_json(data.get("k")),
    )
