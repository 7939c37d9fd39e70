"""Generated conversations with planted opinion groups: for the tests, the benchmark and the demo.

Each planted group holds a stance (agree or disagree) on every statement; a share of the statements
is common ground (every group holds the same stance). A participant sees a random share of the
statements, passes on some, and otherwise votes their group's stance — or, now and then, the other way.
"""

from dataclasses import dataclass

import numpy as np

from conet.consultations.opinion_groups import VoteTable


@dataclass
class PlantedConversation:
    table: VoteTable
    planted: np.ndarray  # planted group of each participant, in the table's row order
    stances: np.ndarray  # (groups, statements): +1 or −1


def planted_conversation(
    n_participants: int,
    n_statements: int,
    *,
    n_groups: int = 3,
    vote_share: float = 0.3,
    pass_share: float = 0.1,
    loyalty: float = 0.85,
    common_share: float = 0.2,
    group_shares: list[float] | None = None,
    stances: np.ndarray | None = None,
    seed: int = 0,
) -> PlantedConversation:
    """A conversation whose votes come from `n_groups` planted groups.

    `vote_share`: the share of statements each participant votes on (the rest stay unseen);
    `pass_share`: the share of those votes that are passes; `loyalty`: the chance that a
    non-pass vote follows the group's stance; `common_share`: statements every group agrees on.
    `stances` (groups × statements, ±1) replaces the random stances.
    """
    rng = np.random.default_rng(seed)
    shares = np.asarray(group_shares or [1 / n_groups] * n_groups, dtype=float)
    planted = rng.choice(n_groups, size=n_participants, p=shares / shares.sum())
    if stances is None:
        stances = rng.choice([-1, 1], size=(n_groups, n_statements))
        common = rng.random(n_statements) < common_share
        stances[:, common] = 1
    else:  # given: (groups, statements) of +1 / −1
        stances = np.asarray(stances)
    # Each participant votes on at least one statement, so every row of the table is somebody.
    seen = rng.random((n_participants, n_statements)) < vote_share
    seen[np.arange(n_participants), rng.integers(0, n_statements, n_participants)] = True
    rows, cols = np.nonzero(seen)
    stance = stances[planted[rows], cols]
    loyal = rng.random(rows.size) < loyalty
    values = np.where(loyal, stance, -stance)
    values[rng.random(rows.size) < pass_share] = 0
    # Votes arrive in random order, as in a real conversation.
    order = rng.permutation(rows.size)
    table = VoteTable.from_arrays(
        list(range(n_participants)),
        list(range(n_statements)),
        rows[order],
        cols[order],
        values[order],
    )
    return PlantedConversation(table, planted, stances)
