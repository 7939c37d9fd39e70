"""The two composite-index methods of DOMAIN.md §5, as plain functions on numpy arrays.

No database here: `services.recompute_index` reads the observations into a matrix (areas × components),
calls one of these, and stores what comes back. Each function takes `signs`: +1 for a component where
a higher value means more deprivation, −1 where a higher value is better, so both methods read every
component in the same direction ("more is worse").

z-score sum (Berlin, Monitoring Soziale Stadtentwicklung)
    z = (x − mean) / standard deviation, per component, across the areas that take part (the population
    standard deviation, ddof = 0); sum = Σ weight × sign × z; index = the sum z-standardised again;
    class = 1 + the number of cut-offs below the index (a value equal to a cut-off stays in the lower
    class). Berlin's cut-offs −1, +1, +1.5 give the status classes high, medium, low, very low.

rank–exponential weighted (England, Index of Multiple Deprivation)
    rank each component, 1 = most deprived (tied areas share the mean of their ranks, so the input order
    never matters); R = (N − rank + 1) / N, so R = 1/N for the least deprived and 1 for the most deprived;
    X = −23 · ln(1 − R · (1 − e^(−100/23))), from 0 to 100; score = Σ weight × X; the scores are ranked
    again (1 = most deprived; equal scores share the best rank of their group) and cut into deciles
    (decile 1 = the most deprived tenth).
"""

from dataclasses import dataclass

import numpy as np

EXPONENTIAL_CONSTANT = 23.0


@dataclass
class IndexOutcome:
    """Per area (same order as the input rows): sum, score, rank (or None) and class number (1-based)."""

    total: np.ndarray
    score: np.ndarray
    rank: np.ndarray | None
    class_number: np.ndarray


PERCENT_TOTAL = 100.0
PERCENT_TOLERANCE = 1.0  # published percentages are rounded: IMD 2019's add up to 99.9
FRACTION_TOLERANCE = 0.01


def normalised_weights(weights, *, method: str) -> tuple[list[float], str]:
    """Weights as fractions of the whole, and how they were read: "" (as given), "percent" or "relative".

    People copy weights from publications, which print percentages (IMD 2019: 22.5, 22.5, 13.5 …).
    Weights adding up to 100 (± 1, for rounding) are read as percentages and divided by 100 exactly,
    so published scores are reproduced. The rank–exponential score is a sum of weighted 0–100 domain
    scores, so its weights must add up to 1; other totals are read as relative weights and divided by
    their sum. A z-score index is standardised again after weighting, so only the ratios matter there.
    """
    values = [float(w) for w in weights]
    total = sum(values)
    if values and abs(total - PERCENT_TOTAL) <= PERCENT_TOLERANCE:
        return [w / PERCENT_TOTAL for w in values], "percent"
    if method == "rank_exponential" and total > 0 and abs(total - 1.0) > FRACTION_TOLERANCE:
        return [w / total for w in values], "relative"
    return values, ""


def standardise(values: np.ndarray) -> np.ndarray:
    """z-values of each column: (x − mean) / population standard deviation; 0 where all are equal."""
    values = np.asarray(values, dtype=float)
    mean = values.mean(axis=0)
    spread = values.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values - mean) / spread
    return np.where(spread == 0, 0.0, z)


def classify(score: np.ndarray, cutoffs: list[float]) -> np.ndarray:
    """Class 1 … len(cutoffs) + 1; a score equal to a cut-off falls in the lower class."""
    return np.searchsorted(np.asarray(cutoffs, dtype=float), score, side="left") + 1


def zscore_index(
    values: np.ndarray, *, weights: np.ndarray, signs: np.ndarray, cutoffs: list[float]
) -> IndexOutcome:
    values = np.asarray(values, dtype=float)
    oriented = standardise(values) * np.asarray(signs, dtype=float)
    total = oriented @ np.asarray(weights, dtype=float)
    score = standardise(total)
    return IndexOutcome(total=total, score=score, rank=None, class_number=classify(score, cutoffs))


def _ranks_descending(values: np.ndarray, *, ties: str) -> np.ndarray:
    """Rank 1 = the largest value. ties="average": tied values share their mean rank;
    ties="min": they share the best (smallest) rank of their group."""
    count = len(values)
    order = np.argsort(-values, kind="stable")
    ordered = values[order]
    starts_group = np.r_[True, ordered[1:] != ordered[:-1]] if count else np.array([], bool)
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    ends = np.r_[starts[1:], count]
    group_rank = (starts + 1 + ends) / 2 if ties == "average" else (starts + 1).astype(float)
    ranks = np.empty(count, dtype=float)
    ranks[order] = group_rank[group]
    return ranks


def exponential_transform(rank: np.ndarray, count: int) -> np.ndarray:
    """X from a rank (1 = most deprived) among `count` areas: 100 for the most deprived, ~0 for the least."""
    scaled = (count - np.asarray(rank, dtype=float) + 1) / count
    c = EXPONENTIAL_CONSTANT
    return -c * np.log(1 - scaled * (1 - np.exp(-100 / c)))


def rank_exponential_index(
    values: np.ndarray, *, weights: np.ndarray, signs: np.ndarray, classes: int = 10
) -> IndexOutcome:
    values = np.asarray(values, dtype=float) * np.asarray(signs, dtype=float)
    count = values.shape[0]
    transformed = (
        np.column_stack(
            [
                exponential_transform(_ranks_descending(values[:, j], ties="average"), count)
                for j in range(values.shape[1])
            ]
        )
        if count
        else np.zeros((0, values.shape[1]))
    )
    score = transformed @ np.asarray(weights, dtype=float)
    rank = _ranks_descending(score, ties="min").astype(int)
    class_number = np.minimum(classes, np.ceil(rank * classes / max(count, 1))).astype(int)
    return IndexOutcome(total=score, score=score, rank=rank, class_number=class_number)


def cross_classes(row_class: np.ndarray, column_class: np.ndarray, columns: int) -> np.ndarray:
    """The group of a matrix: (row − 1) × columns + column, so 4 status × 3 dynamics → 1 … 12."""
    return (np.asarray(row_class) - 1) * columns + np.asarray(column_class)
