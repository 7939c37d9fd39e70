"""Opinion groups from agree / disagree / pass votes: the Pol.is method (DOMAIN.md §6), in numpy only.

    votes = VoteTable.from_triples([(participant, statement, +1 | -1 | 0), …], statement_ids=[…])
    result = compute_opinion_groups(votes, previous=last_result_state)

The steps, each a function of its own so the tests can check it on small matrices:

1. **Vote matrix** (`VoteTable`): participants × statements, agree = +1, disagree = −1, pass = 0,
   unseen = missing. Kept sparse (three parallel arrays): 20,000 × 2,000 with 10 % of votes is
   4 million entries, not 40 million cells.
2. **Who is placed** (`placed_participants`): at least min(7, statements) votes, counting votes on
   statements moderated out since (as Pol.is does); if fewer than 15 qualify, the most active
   voters up to 15.
3. **Mean fill and centring** (`statement_means`): a missing vote is filled with the statement's
   mean vote over the placed participants. After subtracting that mean a filled cell is exactly 0,
   so the centred matrix stays sparse and nothing is ever filled in memory.
4. **PCA by power iteration** (`principal_components`): two components by block power iteration
   on CᵀC (C the centred matrix), warm-started from the previous components, signs kept as before.
5. **Projection with the sparse-voter scaling** (`project`): each participant is projected using
   only the statements they voted on, then scaled by √(statements / statements voted on). As in
   Pol.is, statements moderated out after votes stay as columns of zeros: they count in both
   numbers (for everyone) and on no axis.
6. **Base clusters, then groups** (`base_clusters`, `choose_groups`): k-means into up to 100 base
   clusters on the 2-D positions, then weighted k-means on the base centres for k = 2 … max k, k
   chosen by the silhouette; a new k is adopted only after it won `K_BUFFER` runs in a row, and
   groups keep their numbers from one run to the next (matched to the previous centres).
7. **Representative statements** (`representative_statements`): pa = (agrees + 1) / (votes + 2),
   ra = pa(group) / pa(rest), a one-proportion test on pa and a two-proportion test of the group
   against the rest, both over z = 1.2816; ranked by ra · z(ra) · pa · z(pa); up to 5 per group.
   The same for disagree.
8. **Consensus** (`group_aware_consensus`, `overall_consensus`): the product over groups of
   (agrees + 1) / (votes + 2); and statements agreed (or disagreed) by a significant majority of
   all placed participants.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

AGREE, DISAGREE, PASS = 1, -1, 0
MIN_VOTES = 7
MIN_PLACED = 15
MAX_BASE_CLUSTERS = 100
BASE_ITERATIONS = 20
MIN_GROUPS, MAX_GROUPS = 2, 5
# A new number of groups is adopted only when it wins this many recomputations in a row (Pol.is: 4).
K_BUFFER = 4
Z_90 = 1.2816  # one-sided 90 %
MAX_REPRESENTATIVE = 5
POWER_ITERATIONS = 100
POWER_TOLERANCE = 1e-7
SEED = 20080421  # CoNet's first day: any fixed seed makes every run of the same votes give the same groups


# 1. The vote matrix ---------------------------------------------------------------------------


@dataclass
class VoteTable:
    """The sparse vote matrix: entry i says participant `rows[i]` voted `values[i]` on statement `cols[i]`.

    `participant_ids[r]` and `statement_ids[c]` are the caller's identifiers. One entry per
    (participant, statement): when the input repeats a pair, the last vote counts (a new vote
    replaces the old one).
    """

    participant_ids: list
    statement_ids: list
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    # Statements moderated out after people voted on them. Pol.is zeroes their columns instead of
    # dropping them: they add nothing to the axes, but they count for who is placed (votes cast)
    # and in the sparse-voter scaling, as a vote of 0 for everyone. Per participant: how many of
    # them they voted on; and how many such statements there are.
    moderated_votes: np.ndarray | None = None
    moderated_statements: int = 0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)

    @property
    def vote_count(self) -> int:
        return int(self.values.size)

    @classmethod
    def from_triples(
        cls,
        triples: Iterable[tuple[Any, Any, int]],
        *,
        statement_ids: Sequence | None = None,
    ) -> VoteTable:
        """From (participant, statement, vote) triples in the order they were cast.

        With `statement_ids`, only those statements are columns and statements nobody voted on are
        columns too; votes on other statements are counted as votes on moderated-out statements.
        """
        participants: dict = {}
        statements: dict = {sid: i for i, sid in enumerate(statement_ids or [])}
        fixed = statement_ids is not None
        rows, cols, values = [], [], []
        moderated: set = set()  # (participant row, statement)
        for participant, statement, value in triples:
            if value not in (AGREE, DISAGREE, PASS):
                raise ValueError(f"vote must be -1, 0 or 1, not {value!r}")
            row = participants.setdefault(participant, len(participants))
            if statement not in statements:
                if fixed:
                    moderated.add((row, statement))
                    continue
                statements[statement] = len(statements)
            rows.append(row)
            cols.append(statements[statement])
            values.append(value)
        moderated_rows = np.fromiter((row for row, _s in moderated), dtype=np.int64)
        return cls.from_arrays(
            list(participants),
            list(statements),
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(values, dtype=np.int8),
            moderated_votes=np.bincount(moderated_rows, minlength=len(participants)),
            moderated_statements=len({statement for _row, statement in moderated}),
        )

    @classmethod
    def from_arrays(
        cls,
        participant_ids,
        statement_ids,
        rows,
        cols,
        values,
        *,
        moderated_votes=None,
        moderated_statements: int = 0,
    ) -> VoteTable:
        """From index arrays (votes in the order cast); keeps the last vote per pair, sorts by row."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        values = np.asarray(values, dtype=np.int8)
        n_statements = max(len(statement_ids), 1)
        keys = rows * n_statements + cols
        # The last occurrence of each key: unique on the reversed array finds it first.
        _unique, first_from_end = np.unique(keys[::-1], return_index=True)
        keep = keys.size - 1 - first_from_end  # sorted by key, i.e. by row then column
        return cls(
            list(participant_ids),
            list(statement_ids),
            rows[keep],
            cols[keep],
            values[keep],
            None if moderated_votes is None else np.asarray(moderated_votes, dtype=np.int64),
            int(moderated_statements),
        )

    def dense(self) -> np.ndarray:
        """The matrix with NaN for unseen statements (for small matrices and tests)."""
        matrix = np.full(self.shape, np.nan)
        matrix[self.rows, self.cols] = self.values
        return matrix

    def votes_per_participant(self) -> np.ndarray:
        """Votes on the statements that are columns."""
        return np.bincount(self.rows, minlength=self.shape[0])

    def statements_with_votes(self) -> int:
        """Pol.is's number of statements: the columns of its vote matrix, those with a vote (the
        ones moderated out since included)."""
        return int(np.unique(self.cols).size) + self.moderated_statements

    def votes_cast_per_participant(self) -> np.ndarray:
        """Votes on every statement, those moderated out since included (who is placed)."""
        counts = self.votes_per_participant()
        if self.moderated_votes is not None and self.moderated_votes.size == counts.size:
            counts = counts + self.moderated_votes
        return counts


# 2. Who is placed -------------------------------------------------------------------------------


def placed_participants(
    votes_per_participant: np.ndarray,
    n_statements: int,
    *,
    min_votes: int = MIN_VOTES,
    min_placed: int = MIN_PLACED,
) -> np.ndarray:
    """Indices of the participants placed on the map (sorted).

    Everyone with at least min(`min_votes`, statements) votes; when fewer than `min_placed`
    qualify, the most active voters (ties: who came first) up to `min_placed`, never anyone
    without a vote.
    """
    counts = np.asarray(votes_per_participant)
    threshold = max(min(min_votes, n_statements), 1)
    placed = np.flatnonzero(counts >= threshold)
    if placed.size < min_placed:
        voters = np.flatnonzero(counts > 0)
        order = voters[np.argsort(-counts[voters], kind="stable")]
        placed = np.sort(order[:min_placed])
    return placed


# 3. Mean fill --------------------------------------------------------------------------------------


def statement_means(table: VoteTable, placed_mask: np.ndarray) -> np.ndarray:
    """Each statement's mean vote over the placed participants who voted on it (0 if nobody did).

    This is the value a missing vote is filled with; centring on it makes a filled cell zero.
    """
    n_statements = table.shape[1]
    use = placed_mask[table.rows]
    sums = np.bincount(table.cols[use], weights=table.values[use], minlength=n_statements)
    counts = np.bincount(table.cols[use], minlength=n_statements)
    return np.divide(sums, counts, out=np.zeros(n_statements), where=counts > 0)


def filled_matrix(table: VoteTable, placed: np.ndarray | None = None) -> np.ndarray:
    """The dense matrix with every missing vote filled by its statement's mean (small matrices only)."""
    placed_mask = _mask(table.shape[0], placed)
    dense = table.dense()
    means = statement_means(table, placed_mask)
    return np.where(np.isnan(dense), means[None, :], dense)


def _mask(size: int, indices: np.ndarray | None) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if indices is None:
        mask[:] = True
    else:
        mask[indices] = True
    return mask


# 4. PCA by power iteration -----------------------------------------------------------------------


class _Centred:
    """The centred matrix C (placed rows only) as CSR-ordered arrays, with C·V and Cᵀ·U."""

    def __init__(self, rows, cols, data, n_rows: int, n_cols: int):
        self.n_rows, self.n_cols = n_rows, n_cols
        self.rows, self.cols, self.data = rows, cols, data  # sorted by row
        self.row_starts, self.row_ids = _segments(rows)
        # Statement numbers fit 16 bits in any real conversation; numpy radix-sorts those 4× faster.
        keys = cols.astype(np.int16) if n_cols <= np.iinfo(np.int16).max else cols
        by_col = np.argsort(keys, kind="stable")
        self.t_rows, self.t_data = rows[by_col], data[by_col]
        self.col_starts, self.col_ids = _segments(cols[by_col])

    def times(self, vectors: np.ndarray) -> np.ndarray:
        """C · V for V of shape (columns, k)."""
        out = np.zeros((self.n_rows, vectors.shape[1]))
        if self.data.size:
            for j in range(vectors.shape[1]):
                gathered = self.data * vectors[self.cols, j]
                out[self.row_ids, j] = np.add.reduceat(gathered, self.row_starts)
        return out

    def transposed_times(self, vectors: np.ndarray) -> np.ndarray:
        """Cᵀ · U for U of shape (rows, k)."""
        out = np.zeros((self.n_cols, vectors.shape[1]))
        if self.t_data.size:
            for j in range(vectors.shape[1]):
                gathered = self.t_data * vectors[self.t_rows, j]
                out[self.col_ids, j] = np.add.reduceat(gathered, self.col_starts)
        return out


def _segments(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    return starts, sorted_keys[starts]


def principal_components(
    centred: _Centred,
    *,
    n_components: int = 2,
    start: np.ndarray | None = None,
    iterations: int = POWER_ITERATIONS,
    tolerance: float = POWER_TOLERANCE,
) -> tuple[np.ndarray, np.ndarray]:
    """The top principal axes of C, by block power iteration on CᵀC: (components (k, S), eigenvalues).

    `start` (the previous components) makes a recomputation after a few new votes converge in a few
    steps, and keeps the axes' signs: each component points the way the previous one did.
    """
    n_cols = centred.n_cols
    k = min(n_components, n_cols)
    rng = np.random.default_rng(SEED)
    basis = rng.standard_normal((n_cols, k))
    if start is not None and start.shape == (k, n_cols) and np.all(np.isfinite(start)):
        basis = start.T + 1e-3 * basis  # the nudge keeps a start that is exactly degenerate moving
    basis, _r = np.linalg.qr(basis)
    for _ in range(iterations):
        product = centred.transposed_times(centred.times(basis))
        if not np.any(product):
            break
        new_basis, _r = np.linalg.qr(product)
        # Subspace change: 1 − the smallest cosine of the principal angles.
        cosines = np.linalg.svd(basis.T @ new_basis, compute_uv=False)
        basis = new_basis
        if 1 - cosines.min() < tolerance:
            break
    # Rayleigh–Ritz: order the axes inside the subspace by the variance along them.
    projected = centred.times(basis)
    small = projected.T @ projected
    eigenvalues, rotation = np.linalg.eigh(small)
    order = np.argsort(eigenvalues)[::-1]
    components = (basis @ rotation[:, order]).T
    eigenvalues = eigenvalues[order]
    reference = start if start is not None and start.shape == components.shape else None
    for i in range(components.shape[0]):
        if reference is not None:
            flip = components[i] @ reference[i] < 0
        else:  # no previous run: the largest entry positive, so the same votes draw the same map
            flip = components[i][np.argmax(np.abs(components[i]))] < 0
        if flip:
            components[i] = -components[i]
    if components.shape[0] < n_components:
        components = np.vstack([components, np.zeros((n_components - components.shape[0], n_cols))])
        eigenvalues = np.r_[eigenvalues, np.zeros(n_components - eigenvalues.size)]
    return components, eigenvalues


# 5. Projection ------------------------------------------------------------------------------------


def project(table: VoteTable, means: np.ndarray, components: np.ndarray) -> np.ndarray:
    """Every participant's position: (vote − mean) · component over the statements they voted on,
    scaled by √(statements / statements voted on) so that sparse voters are not pulled to the centre.
    Participants without a vote sit at the origin."""
    n_participants = table.shape[0]
    centred_values = table.values - means[table.cols]
    positions = np.zeros((n_participants, components.shape[0]))
    for j in range(components.shape[0]):
        positions[:, j] = np.bincount(
            table.rows,
            weights=centred_values * components[j, table.cols],
            minlength=n_participants,
        )
    # A statement moderated out is a column of zeros in Pol.is: a vote for everyone, on no axis.
    voted = table.votes_per_participant() + table.moderated_statements
    scale = np.sqrt(table.statements_with_votes() / np.maximum(voted, 1))
    return positions * scale[:, None]


# 6. Clusters and groups ---------------------------------------------------------------------------


def kmeans(
    points: np.ndarray,
    k: int,
    *,
    weights: np.ndarray | None = None,
    init: np.ndarray | None = None,
    seed: int = SEED,
    iterations: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Lloyd's k-means: (centres (k, d), labels). k-means++ start unless `init` is given.

    k is lowered to the number of distinct points. An empty cluster takes the point farthest
    from its centre, so exactly k clusters come back.
    """
    points = np.asarray(points, dtype=float)
    n = points.shape[0]
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    k = max(1, min(k, distinct_count(points)))
    if init is not None and init.shape == (k, points.shape[1]):
        centres = np.array(init, dtype=float)
    else:
        centres = _kmeans_plus_plus(points, k, weights, np.random.default_rng(seed))
    labels = np.full(n, -1)
    for _ in range(iterations):
        distances = _squared_distances(points, centres)
        new_labels = distances.argmin(axis=1)
        for cluster in np.flatnonzero(np.bincount(new_labels, minlength=k) == 0):
            farthest = distances[np.arange(n), new_labels].argmax()
            new_labels[farthest] = cluster
            distances[farthest] = 0
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        mass = np.bincount(labels, weights=weights, minlength=k)
        for dim in range(points.shape[1]):
            sums = np.bincount(labels, weights=weights * points[:, dim], minlength=k)
            centres[:, dim] = np.divide(sums, mass, out=centres[:, dim].copy(), where=mass > 0)
    return centres, labels


def distinct_count(points: np.ndarray) -> int:
    if points.shape[0] == 0:
        return 0
    ordered = points[np.lexsort(points.T[::-1])]
    return 1 + int(np.any(ordered[1:] != ordered[:-1], axis=1).sum())


def _kmeans_plus_plus(points, k, weights, rng) -> np.ndarray:
    n = points.shape[0]
    probabilities = weights / weights.sum()
    centres = [points[rng.choice(n, p=probabilities)]]
    closest = _squared_distances(points, np.array(centres))[:, 0]
    for _ in range(1, k):
        spread = closest * weights
        total = spread.sum()
        index = rng.choice(n, p=spread / total) if total > 0 else rng.choice(n)
        centres.append(points[index])
        closest = np.minimum(closest, _squared_distances(points, points[index][None, :])[:, 0])
    return np.array(centres, dtype=float)


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    distances = np.zeros((points.shape[0], centres.shape[0]))
    for dim in range(points.shape[1]):  # two dimensions: no (n, k, d) temporary
        distances += np.subtract.outer(points[:, dim], centres[:, dim]) ** 2
    return distances


def inertia(points, centres, labels, weights) -> float:
    return float((weights * ((points - centres[labels]) ** 2).sum(axis=1)).sum())


def base_clusters(
    positions: np.ndarray, *, max_clusters: int = MAX_BASE_CLUSTERS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fine clusters of the placed participants: (centres, labels per participant, sizes)."""
    # A few Lloyd steps are enough for fine clusters (Pol.is runs a handful per update); the groups
    # are found on the base centres, where the full k-means runs.
    centres, labels = kmeans(
        positions, min(max_clusters, positions.shape[0]), iterations=BASE_ITERATIONS
    )
    sizes = np.bincount(labels, minlength=centres.shape[0])
    return centres, labels, sizes


def weighted_silhouette(points: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """The silhouette of a clustering of weighted points (a base centre of weight w stands for w
    participants at that spot): the participants' mean of (b − a) / max(a, b), where a is the mean
    distance to the others in one's own group and b the least mean distance to another group.
    A participant alone in its group scores 0."""
    groups = np.unique(labels)
    if groups.size < 2:
        return 0.0
    distances = np.sqrt(_squared_distances(points, points))
    mass = np.array([weights[labels == g].sum() for g in groups])
    # sum_to[i, g]: weighted sum of the distances from point i to the points of group g.
    sum_to = np.stack(
        [(distances[:, labels == g] * weights[labels == g]).sum(axis=1) for g in groups], axis=1
    )
    own = np.searchsorted(groups, labels)
    own_mass = mass[own]
    a = np.divide(
        sum_to[np.arange(len(points)), own],
        own_mass - 1,
        out=np.zeros(len(points)),
        where=own_mass > 1,
    )
    others = sum_to / mass[None, :]
    others[np.arange(len(points)), own] = np.inf
    b = others.min(axis=1)
    denominator = np.maximum(a, b)
    scores = np.divide(b - a, denominator, out=np.zeros(len(points)), where=denominator > 0)
    scores[own_mass <= 1] = 0.0
    return float((weights * scores).sum() / weights.sum())


@dataclass
class KChoice:
    """The number of groups shown, and the challenger that must win K_BUFFER runs in a row to replace it."""

    k: int
    candidate: int | None = None
    wins: int = 0

    def to_json(self) -> dict:
        return {"k": self.k, "candidate": self.candidate, "wins": self.wins}

    @classmethod
    def from_json(cls, data: dict | None) -> KChoice | None:
        if not data:
            return None
        return cls(int(data["k"]), data.get("candidate"), int(data.get("wins", 0)))


def smooth_k(best_k: int, previous: KChoice | None, *, buffer: int = K_BUFFER) -> KChoice:
    """Keep the previous number of groups until another has been best `buffer` times in a row."""
    if previous is None:
        return KChoice(best_k)
    if best_k == previous.k:
        return KChoice(previous.k)
    wins = previous.wins + 1 if previous.candidate == best_k else 1
    if wins >= buffer:
        return KChoice(best_k)
    return KChoice(previous.k, best_k, wins)


def max_groups(n_base: int) -> int:
    """Pol.is allows more groups only as base clusters accumulate: 2 + one per 12 base clusters, up to 5."""
    return min(MAX_GROUPS, MIN_GROUPS + n_base // 12, n_base)


@dataclass
class GroupChoice:
    labels: np.ndarray  # group of each base cluster
    centres: np.ndarray
    k_choice: KChoice
    silhouettes: dict[int, float]


def choose_groups(
    base_centres: np.ndarray,
    base_sizes: np.ndarray,
    *,
    previous_k: KChoice | None = None,
    previous_centres: np.ndarray | None = None,
    restarts: int = 8,
) -> GroupChoice:
    """Weighted k-means of the base centres for each k, the k by silhouette (smoothed), and group
    numbers matched to the previous run's groups."""
    weights = base_sizes.astype(float)
    n_base = base_centres.shape[0]
    distinct = distinct_count(base_centres)
    if distinct < MIN_GROUPS:
        return GroupChoice(np.zeros(n_base, dtype=int), base_centres[:1].copy(), KChoice(1), {})
    clusterings: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    silhouettes: dict[int, float] = {}
    for k in range(MIN_GROUPS, max(max_groups(distinct), MIN_GROUPS) + 1):
        clusterings[k] = _best_kmeans(base_centres, k, weights, previous_centres, restarts)
        silhouettes[k] = weighted_silhouette(base_centres, weights, clusterings[k][1])
    best_k = max(silhouettes, key=lambda k: (round(silhouettes[k], 9), -k))
    choice = smooth_k(best_k, previous_k)
    k = choice.k
    if k not in clusterings:  # the kept k is no longer possible with this few base clusters
        k = best_k
        choice = KChoice(best_k)
    centres, labels = clusterings[k]
    centres, labels = _match_previous(centres, labels, previous_centres)
    return GroupChoice(labels, centres, choice, silhouettes)


def _best_kmeans(points, k, weights, previous_centres, restarts):
    attempts = []
    if previous_centres is not None and previous_centres.shape == (k, points.shape[1]):
        attempts.append(kmeans(points, k, weights=weights, init=previous_centres))
    for seed in range(restarts):
        attempts.append(kmeans(points, k, weights=weights, seed=SEED + seed))
    return min(attempts, key=lambda found: inertia(points, found[0], found[1], weights))


def _match_previous(centres, labels, previous_centres):
    """Renumber groups so each keeps the number of the previous group nearest to it; without a
    previous run, number them by size (largest first), ties by position."""
    k = centres.shape[0]
    if previous_centres is None or previous_centres.size == 0:
        sizes = np.bincount(labels, minlength=k)
        order = sorted(range(k), key=lambda g: (-sizes[g], tuple(centres[g])))
    else:
        previous_k = previous_centres.shape[0]
        cost = np.sqrt(_squared_distances(centres, previous_centres))
        slots = range(max(k, previous_k))
        best, order = math.inf, list(range(k))
        # k ≤ 5: trying every assignment is at most 5! = 120 cases.
        for assignment in itertools.permutations(slots, k):
            total = sum(cost[g, slot] for g, slot in enumerate(assignment) if slot < previous_k)
            if total < best:
                best, order_slots = total, assignment
        order = sorted(range(k), key=lambda g: order_slots[g])
    mapping = np.empty(k, dtype=int)
    mapping[order] = np.arange(k)
    return centres[order], mapping[labels]


# 7. Representative statements and 8. consensus ------------------------------------------------------


def prop_test(successes, trials):
    """Pol.is's one-proportion z-test with a pseudo-count: 2·√(n+1)·((s+1)/(n+1) − ½)."""
    successes = np.asarray(successes, dtype=float) + 1
    trials = np.asarray(trials, dtype=float) + 1
    return 2 * np.sqrt(trials) * (successes / trials - 0.5)


def two_prop_test(successes_in, successes_out, trials_in, trials_out):
    """Pol.is's two-proportion z-test of a group against the rest, with a pseudo-count of 1 each."""
    s1 = np.asarray(successes_in, dtype=float) + 1
    s2 = np.asarray(successes_out, dtype=float) + 1
    n1 = np.asarray(trials_in, dtype=float) + 1
    n2 = np.asarray(trials_out, dtype=float) + 1
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(p1 - p2, spread, out=np.zeros(np.broadcast(p1, p2).shape), where=spread > 0)


@dataclass
class GroupCounts:
    """agree, disagree and votes (agree + disagree + pass) per group × statement, among the placed."""

    agree: np.ndarray
    disagree: np.ndarray
    votes: np.ndarray

    @property
    def passes(self) -> np.ndarray:
        return self.votes - self.agree - self.disagree


def group_counts(table: VoteTable, group_of_participant: np.ndarray, n_groups: int) -> GroupCounts:
    """Counts per group; `group_of_participant` is −1 for participants not placed."""
    n_statements = table.shape[1]
    group = group_of_participant[table.rows]
    use = group >= 0
    keys = group[use] * n_statements + table.cols[use]
    size = n_groups * n_statements
    values = table.values[use]
    shape = (n_groups, n_statements)
    return GroupCounts(
        np.bincount(keys[values == AGREE], minlength=size).reshape(shape),
        np.bincount(keys[values == DISAGREE], minlength=size).reshape(shape),
        np.bincount(keys, minlength=size).reshape(shape),
    )


@dataclass
class Representative:
    statement: int  # column index
    direction: str  # "agree" or "disagree"
    p: float  # (agrees + 1) / (votes + 2) in the group (or disagrees)
    p_test: float
    ratio: float  # p in the group / p outside it
    ratio_test: float
    metric: float
    count: int  # agrees (or disagrees) in the group
    votes: int


def representative_statements(
    counts: GroupCounts, *, limit: int = MAX_REPRESENTATIVE
) -> list[list[Representative]]:
    """For each group, up to `limit` statements that set it apart, strongest first."""
    total_agree, total_disagree = counts.agree.sum(0), counts.disagree.sum(0)
    total_votes = counts.votes.sum(0)
    chosen = []
    for g in range(counts.votes.shape[0]):
        best: dict[int, Representative] = {}
        for direction, inside, total in (
            ("agree", counts.agree[g], total_agree),
            ("disagree", counts.disagree[g], total_disagree),
        ):
            votes_in = counts.votes[g]
            outside, votes_out = total - inside, total_votes - votes_in
            p = (inside + 1) / (votes_in + 2)
            p_out = (outside + 1) / (votes_out + 2)
            ratio = p / p_out
            p_test = prop_test(inside, votes_in)
            ratio_test = two_prop_test(inside, outside, votes_in, votes_out)
            metric = ratio * ratio_test * p * p_test
            significant = (p_test > Z_90) & (ratio_test > Z_90) & (votes_in > 0)
            for c in np.flatnonzero(significant):
                candidate = Representative(
                    int(c), direction, float(p[c]), float(p_test[c]), float(ratio[c]),
                    float(ratio_test[c]), float(metric[c]), int(inside[c]), int(votes_in[c]),
                )  # fmt: skip
                if c not in best or candidate.metric > best[c].metric:
                    best[int(c)] = candidate
        ranked = sorted(best.values(), key=lambda r: (-r.metric, r.statement))
        chosen.append(ranked[:limit])
    return chosen


def group_aware_consensus(counts: GroupCounts) -> tuple[np.ndarray, np.ndarray]:
    """(agree, disagree) per statement: the product over groups of (agrees + 1) / (votes + 2)."""
    agree = np.prod((counts.agree + 1) / (counts.votes + 2), axis=0)
    disagree = np.prod((counts.disagree + 1) / (counts.votes + 2), axis=0)
    return agree, disagree


@dataclass
class ConsensusStatement:
    statement: int
    direction: str
    p: float
    p_test: float
    count: int
    votes: int
    # Whether every group, taken alone, leans the same way ((count + 1) / (votes + 2) above ½ in
    # each): a majority of all that one large group carries is not common ground.
    every_group: bool = False


def overall_consensus(counts: GroupCounts) -> list[ConsensusStatement]:
    """Statements a clear, significant majority of all placed participants agreed (or disagreed)
    with: (count + 1) / (votes + 2) above ½ and the one-proportion test over z = 1.2816.
    Strongest (p · z) first."""
    votes = counts.votes.sum(0)
    found = []
    for direction, per_group in (("agree", counts.agree), ("disagree", counts.disagree)):
        count = per_group.sum(0)
        p = (count + 1) / (votes + 2)
        z = prop_test(count, votes)
        every_group = ((per_group + 1) / (counts.votes + 2) > 0.5).all(axis=0)
        for c in np.flatnonzero((p > 0.5) & (z > Z_90)):
            found.append(
                ConsensusStatement(
                    int(c),
                    direction,
                    float(p[c]),
                    float(z[c]),
                    int(count[c]),
                    int(votes[c]),
                    bool(every_group[c]),
                )
            )
    return sorted(found, key=lambda s: (-s.p * s.p_test, s.statement))


# The whole computation -----------------------------------------------------------------------------


@dataclass
class PreviousState:
    """What a recomputation carries over from the last one, keyed by the caller's statement ids."""

    components: dict[Any, tuple[float, float]] = field(default_factory=dict)
    group_centres: list[tuple[float, float]] = field(default_factory=list)
    k_choice: KChoice | None = None


@dataclass
class OpinionGroups:
    participant_ids: list
    statement_ids: list
    placed: np.ndarray  # indices of placed participants
    positions: np.ndarray  # (participants, 2): everyone with a vote, placed or not
    components: np.ndarray  # (2, statements)
    eigenvalues: np.ndarray
    means: np.ndarray
    base_centres: np.ndarray
    base_sizes: np.ndarray
    base_of_placed: np.ndarray
    group_of_base: np.ndarray
    group_centres: np.ndarray
    group_of_participant: np.ndarray  # −1 for participants not placed
    k_choice: KChoice
    silhouettes: dict[int, float]
    counts: GroupCounts
    representative: list[list[Representative]]
    consensus_agree: np.ndarray
    consensus_disagree: np.ndarray
    consensus: list[ConsensusStatement]
    votes_used: int

    @property
    def n_groups(self) -> int:
        return self.group_centres.shape[0]

    def state(self) -> PreviousState:
        return PreviousState(
            components={
                sid: (float(self.components[0, c]), float(self.components[1, c]))
                for c, sid in enumerate(self.statement_ids)
            },
            group_centres=[tuple(map(float, centre)) for centre in self.group_centres],
            k_choice=self.k_choice,
        )


def compute_opinion_groups(
    table: VoteTable, previous: PreviousState | None = None
) -> OpinionGroups:
    """Run every step on `table`; `previous` keeps the axes, the number of groups and their numbers steady."""
    n_participants, n_statements = table.shape
    placed = placed_participants(table.votes_cast_per_participant(), table.statements_with_votes())
    placed_mask = _mask(n_participants, placed)
    means = statement_means(table, placed_mask)

    use = placed_mask[table.rows]
    row_of_placed = np.full(n_participants, -1)
    row_of_placed[placed] = np.arange(placed.size)
    centred = _Centred(
        row_of_placed[table.rows[use]],
        table.cols[use],
        table.values[use] - means[table.cols[use]],
        placed.size,
        n_statements,
    )
    start = None
    if previous and previous.components:
        start = np.array(
            [previous.components.get(sid, (0.0, 0.0)) for sid in table.statement_ids], dtype=float
        ).T
        if not np.any(start):
            start = None
    components, eigenvalues = principal_components(centred, start=start)
    positions = project(table, means, components)

    group_of_participant = np.full(n_participants, -1)
    if placed.size == 0:
        empty = np.zeros((0, 2))
        counts = group_counts(table, group_of_participant, 0)
        return OpinionGroups(
            table.participant_ids, table.statement_ids, placed, positions, components,
            eigenvalues, means, empty, np.zeros(0, int), np.zeros(0, int), np.zeros(0, int),
            empty, group_of_participant, KChoice(0), {}, counts, [], np.ones(n_statements),
            np.ones(n_statements), [], table.vote_count,
        )  # fmt: skip

    base_centres, base_of_placed, base_sizes = base_clusters(positions[placed])
    previous_centres = None
    if previous and previous.group_centres:
        previous_centres = np.array(previous.group_centres, dtype=float)
    choice = choose_groups(
        base_centres,
        base_sizes,
        previous_k=previous.k_choice if previous else None,
        previous_centres=previous_centres,
    )
    group_of_participant[placed] = choice.labels[base_of_placed]
    n_groups = choice.centres.shape[0]
    counts = group_counts(table, group_of_participant, n_groups)
    agree, disagree = group_aware_consensus(counts)
    return OpinionGroups(
        participant_ids=table.participant_ids,
        statement_ids=table.statement_ids,
        placed=placed,
        positions=positions,
        components=components,
        eigenvalues=eigenvalues,
        means=means,
        base_centres=base_centres,
        base_sizes=base_sizes,
        base_of_placed=base_of_placed,
        group_of_base=choice.labels,
        group_centres=choice.centres,
        group_of_participant=group_of_participant,
        k_choice=choice.k_choice,
        silhouettes=choice.silhouettes,
        counts=counts,
        representative=representative_statements(counts),
        consensus_agree=agree,
        consensus_disagree=disagree,
        consensus=overall_consensus(counts),
        votes_used=table.vote_count,
    )
