"""The two index methods on small cases computed by hand (DOMAIN.md §5)."""

import numpy as np
import pytest

from conet.monitoring.methods import (
    classify,
    cross_classes,
    exponential_transform,
    rank_exponential_index,
    standardise,
    zscore_index,
)

# X = −23 · ln(1 − R · (1 − e^(−100/23))) for the R that four areas give, worked out by hand:
X = {0.25: 6.517733263680379, 0.5: 15.646790072602894, 0.625: 22.068504017785347,
     0.75: 31.009143532807215, 1.0: 100.0}  # fmt: skip


def test_standardise_uses_the_population_standard_deviation():
    z = standardise(np.array([[1.0], [2.0], [3.0], [4.0]]))[:, 0]
    # mean 2.5, standard deviation √1.25 = 1.1180…
    assert z == pytest.approx([-1.341641, -0.447214, 0.447214, 1.341641], abs=1e-6)


def test_standardise_gives_zero_when_every_area_has_the_same_value():
    assert standardise(np.array([[3.0], [3.0]]))[:, 0].tolist() == [0.0, 0.0]


def test_a_score_on_a_cutoff_falls_in_the_lower_class():
    assert classify(np.array([-1.5, -1.0, 0.0, 1.0, 1.2, 1.5, 2.0]), [-1, 1, 1.5]).tolist() == [
        1, 1, 2, 2, 3, 3, 4,
    ]  # fmt: skip


def test_zscore_index_sums_standardised_components_and_standardises_the_sum():
    values = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [4.0, 40.0]])
    outcome = zscore_index(values, weights=np.ones(2), signs=np.ones(2), cutoffs=[-1.0, 1.0])
    # z of column 1: ±1.341641, ±0.447214; of column 2: −1.341641, 0.447214, −0.447214, 1.341641
    assert outcome.total == pytest.approx([-2.683282, 0.0, 0.0, 2.683282], abs=1e-6)
    # The sums have mean 0 and standard deviation 1.897367, so the index is ±1.414214 and 0.
    assert outcome.score == pytest.approx([-1.414214, 0.0, 0.0, 1.414214], abs=1e-6)
    assert outcome.class_number.tolist() == [1, 2, 2, 3]


def test_zscore_index_turns_a_higher_is_better_component_round():
    values = np.array([[1.0], [2.0], [3.0]])
    worse = zscore_index(values, weights=np.ones(1), signs=np.ones(1), cutoffs=[0.0])
    better = zscore_index(values, weights=np.ones(1), signs=-np.ones(1), cutoffs=[0.0])
    assert better.score == pytest.approx(-worse.score)


def test_exponential_transform_runs_from_almost_zero_to_one_hundred():
    x = exponential_transform(np.array([1, 2, 3, 4]), 4)
    assert x == pytest.approx([X[1.0], X[0.75], X[0.5], X[0.25]])
    # About the most deprived tenth scores above 50 (R > 0.898), as the transform intends.
    many = exponential_transform(np.arange(1, 1001), 1000)
    assert 95 <= (many > 50).sum() <= 105


def test_rank_exponential_reads_each_component_in_its_own_direction():
    # Component A: higher is worse. Component B (an income): higher is better, weight 0.4.
    values = np.array([[10.0, 100.0], [20.0, 200.0], [30.0, 300.0], [40.0, 400.0]])
    outcome = rank_exponential_index(
        values, weights=np.array([0.6, 0.4]), signs=np.array([1.0, -1.0])
    )
    # A ranks area 4 first (R = 1); B ranks area 1 first (lowest income).
    expected = [
        0.6 * X[0.25] + 0.4 * X[1.0],  # 43.9106
        0.6 * X[0.5] + 0.4 * X[0.75],  # 21.7917
        0.6 * X[0.75] + 0.4 * X[0.5],  # 24.8642
        0.6 * X[1.0] + 0.4 * X[0.25],  # 62.6071
    ]
    assert outcome.score == pytest.approx(expected)
    assert outcome.rank.tolist() == [2, 4, 3, 1]
    # Deciles of four areas: ceil(rank × 10 / 4).
    assert outcome.class_number.tolist() == [5, 10, 8, 3]


def test_rank_exponential_gives_tied_areas_their_mean_rank_and_the_same_result():
    # Areas 1 and 2 tie for ranks 2 and 3: both get rank 2.5, so R = (4 − 2.5 + 1) / 4 = 0.625.
    values = np.array([[5.0], [5.0], [1.0], [9.0]])
    outcome = rank_exponential_index(values, weights=np.ones(1), signs=np.ones(1))
    assert outcome.score == pytest.approx([X[0.625], X[0.625], X[0.25], X[1.0]])
    # Equal scores share the best rank of their group; the next rank is 4.
    assert outcome.rank.tolist() == [2, 2, 4, 1]
    assert outcome.class_number.tolist() == [5, 5, 10, 3]


def test_rank_exponential_does_not_depend_on_the_order_of_the_areas():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 5, size=(50, 3)).astype(float)  # many ties
    weights, signs = np.array([0.5, 0.3, 0.2]), np.array([1.0, -1.0, 1.0])
    outcome = rank_exponential_index(values, weights=weights, signs=signs)
    order = rng.permutation(50)
    shuffled = rank_exponential_index(values[order], weights=weights, signs=signs)
    assert shuffled.score == pytest.approx(outcome.score[order])
    assert shuffled.rank.tolist() == outcome.rank[order].tolist()


def test_matrix_groups_run_row_by_row():
    assert cross_classes(np.array([1, 1, 2, 4]), np.array([1, 3, 1, 3]), 3).tolist() == [
        1, 3, 4, 12,
    ]  # fmt: skip
