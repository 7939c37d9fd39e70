"""Each step of the Pol.is computation on small matrices checked by hand, then planted groups recovered."""

import math

import numpy as np
import pytest

from conet.consultations.opinion_groups import (
    Z_90,
    GroupCounts,
    KChoice,
    VoteTable,
    _Centred,
    choose_groups,
    compute_opinion_groups,
    filled_matrix,
    group_aware_consensus,
    kmeans,
    max_groups,
    overall_consensus,
    placed_participants,
    principal_components,
    project,
    prop_test,
    representative_statements,
    smooth_k,
    statement_means,
    two_prop_test,
    weighted_silhouette,
)
from conet.consultations.simulation import planted_conversation
from tests.consultations.clustering_agreement import adjusted_rand_index

nan = np.nan


def table_of(rows: list[list[float]]) -> VoteTable:
    """A VoteTable from a dense matrix with NaN for unseen (participants p0…, statements s0…)."""
    triples = [
        (f"p{r}", f"s{c}", int(value))
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if not math.isnan(value)
    ]
    return VoteTable.from_triples(triples, statement_ids=[f"s{c}" for c in range(len(rows[0]))])


# The helper itself -------------------------------------------------------------------------------


def test_adjusted_rand_index_matches_textbook_values():
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0  # names do not matter
    # pairs together in both: 1; in a: 2; in b: 1; of 6 → (1 − 1/3) / (3/2 − 1/3) = 4/7
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == pytest.approx(0.0)


# 1. Vote matrix --------------------------------------------------------------------------------------


def test_vote_matrix_keeps_the_last_vote_and_drops_moderated_statements():
    table = VoteTable.from_triples(
        [("ana", 10, 1), ("ben", 10, -1), ("ana", 11, 0), ("ana", 10, -1), ("ben", 99, 1)],
        statement_ids=[10, 11, 12],
    )
    assert table.participant_ids == ["ana", "ben"]
    assert table.statement_ids == [
        10,
        11,
        12,
    ]  # 12: nobody voted, still a column; 99: moderated out
    np.testing.assert_array_equal(table.dense(), [[-1, 0, nan], [-1, nan, nan]])
    assert table.vote_count == 3


def test_votes_on_moderated_statements_count_as_pol_is_counts_them():
    # ana voted on 10 and on 98, 99 (moderated out since); ben only on 10; 12 has no vote.
    table = VoteTable.from_triples(
        [("ana", 10, 1), ("ana", 98, 1), ("ana", 99, -1), ("ana", 99, 1), ("ben", 10, -1)],
        statement_ids=[10, 11, 12],
    )
    assert table.moderated_statements == 2
    np.testing.assert_array_equal(table.votes_per_participant(), [1, 1])
    np.testing.assert_array_equal(table.votes_cast_per_participant(), [3, 1])
    # Pol.is's columns: the statements with a vote, the moderated ones included (10, 98, 99).
    assert table.statements_with_votes() == 3


def test_a_moderated_statement_is_a_zero_for_everyone_in_the_sparse_voter_scaling():
    votes = [(f"p{n}", 1, 1 if n % 2 else -1) for n in range(4)] + [("p0", 2, 1)]
    plain = VoteTable.from_triples(votes, statement_ids=[1, 2])
    with_moderated = VoteTable.from_triples(
        [*votes, ("p0", 9, 1), ("p1", 9, -1)], statement_ids=[1, 2]
    )
    means, components = np.zeros(2), np.array([[1.0, 0.0], [0.0, 1.0]])
    # p1 voted on 1 of 2 statements: √(2/1). With one moderated statement: √(3/2), for everyone.
    assert project(plain, means, components)[1, 0] == pytest.approx(1 * math.sqrt(2))
    assert project(with_moderated, means, components)[1, 0] == pytest.approx(math.sqrt(3 / 2))
    assert project(with_moderated, means, components)[2, 0] == pytest.approx(-math.sqrt(3 / 2))


def test_votes_on_statements_moderated_out_since_make_a_participant_placed():
    # Sixteen people voted on seven statements, four of them moderated out since: still placed,
    # as in Pol.is; bo, who voted on the three that are left, is not.
    votes = [(f"p{n}", s, 1) for n in range(16) for s in range(7)] + [
        ("bo", s, 1) for s in range(3)
    ]
    table = VoteTable.from_triples(votes, statement_ids=[0, 1, 2])
    placed = placed_participants(table.votes_cast_per_participant(), table.statements_with_votes())
    assert [table.participant_ids[i] for i in placed] == [f"p{n}" for n in range(16)]


def test_vote_matrix_refuses_a_vote_that_is_not_agree_disagree_or_pass():
    with pytest.raises(ValueError, match="vote must be"):
        VoteTable.from_triples([("ana", 1, 2)])


# 2. Who is placed ------------------------------------------------------------------------------------


def test_placed_are_those_with_seven_votes_when_enough_of_them():
    counts = np.array([7] * 15 + [6, 0, 12])
    placed = placed_participants(counts, n_statements=30)
    np.testing.assert_array_equal(placed, [*range(15), 17])


def test_fewer_than_fifteen_qualify_so_the_most_active_fill_up_to_fifteen():
    counts = np.array([9, 1, 3, 8, 0, 2, 2, 5, 4, 1, 1, 6, 1, 1, 3, 2, 0, 1])
    placed = placed_participants(counts, n_statements=30)
    # 9 and 8 qualify (#0, #3); then by activity 6, 5, 4, 3, 3, 2, 2, 2 (#11, 7, 8, 2, 14, 5, 6,
    # 15); then five of the six with one vote, in order of arrival (#1, 9, 10, 12, 13, not #17).
    np.testing.assert_array_equal(placed, [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    assert 4 not in placed and 16 not in placed  # never anyone without a vote


def test_with_few_statements_voting_on_all_of_them_is_enough():
    counts = np.array([3] * 20 + [2])
    assert len(placed_participants(counts, n_statements=3)) == 20


# 3. Mean fill ----------------------------------------------------------------------------------------


def test_missing_votes_are_filled_with_the_statements_mean_vote():
    table = table_of([[1, -1, nan], [1, nan, 0], [-1, 1, 1]])
    np.testing.assert_allclose(statement_means(table, np.ones(3, bool)), [1 / 3, 0, 0.5])
    np.testing.assert_allclose(filled_matrix(table), [[1, -1, 0.5], [1, 0, 0], [-1, 1, 1]])


def test_the_mean_is_over_placed_participants_only():
    table = table_of([[1, 1], [1, nan], [-1, -1]])
    placed = np.array([True, True, False])
    np.testing.assert_allclose(statement_means(table, placed), [1, 1])


# 4. PCA -------------------------------------------------------------------------------------------------


def _centred(table: VoteTable) -> _Centred:
    means = statement_means(table, np.ones(table.shape[0], bool))
    return _Centred(
        table.rows, table.cols, table.values - means[table.cols], table.shape[0], table.shape[1]
    )


def test_power_iteration_finds_the_axes_of_the_mean_filled_matrix():
    rng = np.random.default_rng(3)
    dense = rng.choice([-1.0, 0.0, 1.0, nan], size=(12, 6), p=[0.35, 0.15, 0.3, 0.2])
    table = table_of(dense.tolist())
    components, eigenvalues = principal_components(_centred(table))
    filled = filled_matrix(table)
    centred = filled - filled.mean(axis=0)
    _u, singular, vt = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(eigenvalues, singular[:2] ** 2, rtol=1e-6)
    for mine, reference in zip(components, vt[:2], strict=True):
        assert abs(mine @ reference) == pytest.approx(1.0, abs=1e-5)


def test_two_camps_lie_on_the_first_axis_pointing_the_same_way_every_time():
    table = table_of([[1, 1, 1], [1, 1, 1], [-1, -1, -1], [-1, -1, -1]])
    components, eigenvalues = principal_components(_centred(table))
    np.testing.assert_allclose(components[0], np.ones(3) / math.sqrt(3), atol=1e-9)
    assert eigenvalues[0] == pytest.approx(12.0)  # four people, each √3 from the centre
    again, _ = principal_components(_centred(table), start=-components)
    np.testing.assert_allclose(again[0], -components[0], atol=1e-9)  # keeps the previous sign


# 5. Projection and the sparse-voter scaling ------------------------------------------------------


def test_sparse_voter_is_scaled_out_from_the_centre():
    table = table_of([[1, nan, nan, nan], [1, 1, 1, 1]])
    components = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]])
    positions = project(table, np.zeros(4), components)
    # One vote of four: (1 · 1) · √(4/1) = 2, not 1; all four votes: √(4/4) = 1.
    np.testing.assert_allclose(positions, [[2, 0], [1, 1]])


def test_projection_uses_only_the_statements_voted_on_after_centring():
    table = table_of([[1, -1, nan], [-1, nan, 1]])
    means = np.array([0.5, -1, 0.0])
    components = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]])
    positions = project(table, means, components)
    scale = math.sqrt(3 / 2)
    np.testing.assert_allclose(
        positions,
        [
            [(0.5 * 0.6 + 0 * 0.8) * scale, 0],
            [(-1.5 * 0.6) * scale, 1 * scale],
        ],
    )


# 6. Base clusters, silhouette, the choice of k ------------------------------------------------------


def test_silhouette_of_two_pairs_on_a_line():
    points = np.array([[0.0, 0], [1, 0], [10, 0], [11, 0]])
    score = weighted_silhouette(points, np.ones(4), np.array([0, 0, 1, 1]))
    # Outer points: a = 1, b = (10 + 11) / 2; inner points: a = 1, b = (9 + 10) / 2.
    expected = (2 * (10.5 - 1) / 10.5 + 2 * (9.5 - 1) / 9.5) / 4
    assert score == pytest.approx(expected)


def test_a_weighted_centre_counts_as_that_many_participants_at_one_spot():
    weighted = weighted_silhouette(
        np.array([[0.0, 0], [3, 0], [10, 0]]), np.array([2.0, 1, 1]), np.array([0, 0, 1])
    )
    spread = weighted_silhouette(
        np.array([[0.0, 0], [0, 0], [3, 0], [10, 0]]), np.ones(4), np.array([0, 0, 0, 1])
    )
    assert weighted == pytest.approx(spread)


def test_silhouette_picks_three_groups_for_three_blobs():
    rng = np.random.default_rng(1)
    blobs = [(0, 0), (10, 0), (5, 9)]
    centres = np.vstack([rng.normal(blob, 0.5, size=(12, 2)) for blob in blobs])
    choice = choose_groups(centres, np.ones(len(centres), int))
    assert choice.k_choice.k == 3
    assert max(choice.silhouettes, key=choice.silhouettes.get) == 3
    labels = choice.labels
    assert len({tuple(labels[i * 12 : (i + 1) * 12]) for i in range(3)}) == 3
    assert all(len(set(labels[i * 12 : (i + 1) * 12])) == 1 for i in range(3))


def test_more_groups_are_allowed_only_as_base_clusters_accumulate():
    assert [max_groups(n) for n in (2, 12, 24, 36, 100)] == [2, 3, 4, 5, 5]


def test_a_new_number_of_groups_needs_four_wins_in_a_row():
    state = smooth_k(2, None)
    assert state == KChoice(2)
    for expected_wins in (1, 2, 3):
        state = smooth_k(3, state)
        assert (state.k, state.candidate, state.wins) == (2, 3, expected_wins)
    assert smooth_k(3, state) == KChoice(3)
    # An interruption starts the count again.
    state = smooth_k(4, smooth_k(4, KChoice(3)))
    assert state.wins == 2
    state = smooth_k(5, state)
    assert (state.k, state.candidate, state.wins) == (3, 5, 1)
    assert smooth_k(3, state) == KChoice(3)


def test_kmeans_with_weights_puts_the_centre_at_the_weighted_mean():
    centres, _labels = kmeans(
        np.array([[0.0, 0], [1, 0], [100, 0]]), 2, weights=np.array([3.0, 1, 1])
    )
    order = np.argsort(centres[:, 0])
    np.testing.assert_allclose(centres[order], [[0.25, 0], [100, 0]])


# 7. Representative statements -----------------------------------------------------------------------


def test_representativeness_statistics_by_hand():
    # Statement 0: group A 9 agree of 10 votes, group B 1 of 10. Statement 1: everyone split.
    counts = GroupCounts(
        agree=np.array([[9, 5], [1, 5]]),
        disagree=np.array([[1, 5], [9, 5]]),
        votes=np.array([[10, 10], [10, 10]]),
    )
    assert prop_test(9, 10) == pytest.approx(2 * math.sqrt(11) * (10 / 11 - 0.5))
    # Two-proportion test with pseudo-counts: 10/11 against 2/11, pooled 12/22.
    pooled = 12 / 22
    z = (10 / 11 - 2 / 11) / math.sqrt(pooled * (1 - pooled) * (2 / 11))
    assert two_prop_test(9, 1, 10, 10) == pytest.approx(z)
    assert z == pytest.approx(3.4254, abs=1e-4)

    representative = representative_statements(counts)
    group_a, group_b = representative
    assert [(r.statement, r.direction) for r in group_a] == [(0, "agree")]
    assert [(r.statement, r.direction) for r in group_b] == [(0, "disagree")]
    first = group_a[0]
    assert first.p == pytest.approx(10 / 12)
    assert first.ratio == pytest.approx((10 / 12) / (2 / 12))
    assert first.metric == pytest.approx(5 * z * (10 / 12) * prop_test(9, 10))


def test_a_lead_that_is_not_significant_is_not_representative():
    # 3 of 4 agree in A against 2 of 4 in B: pa = 4/6, but the two-proportion z is below 1.2816.
    counts = GroupCounts(
        agree=np.array([[3], [2]]), disagree=np.array([[1], [2]]), votes=np.array([[4], [4]])
    )
    assert two_prop_test(3, 2, 4, 4) < Z_90
    assert representative_statements(counts) == [[], []]


def test_at_most_five_representative_statements_strongest_first():
    agree = np.array([[9, 8, 10, 7, 9, 10, 8], [0, 1, 0, 1, 2, 1, 0]])
    counts = GroupCounts(agree=agree, disagree=10 - agree, votes=np.full((2, 7), 10))
    chosen = representative_statements(counts)[0]
    assert len(chosen) == 5
    metrics = [r.metric for r in chosen]
    assert metrics == sorted(metrics, reverse=True)
    assert chosen[0].statement in (2, 5)  # 10 of 10 against 0 or 1 of 10


# 8. Consensus -----------------------------------------------------------------------------------------


def test_group_aware_consensus_is_the_product_over_groups():
    counts = GroupCounts(
        agree=np.array([[8, 1], [6, 7]]),
        disagree=np.array([[1, 8], [1, 0]]),
        votes=np.array([[10, 10], [8, 8]]),
    )
    agree, disagree = group_aware_consensus(counts)
    np.testing.assert_allclose(agree, [(9 / 12) * (7 / 10), (2 / 12) * (8 / 10)])
    np.testing.assert_allclose(disagree, [(2 / 12) * (2 / 10), (9 / 12) * (1 / 10)])


def test_overall_consensus_needs_a_clear_significant_majority():
    counts = GroupCounts(
        # s0: 14 of 18 agree; s1: 3 of 5 agree (a majority, not significant); s2: 15 of 18 disagree
        agree=np.array([[8, 2, 1], [6, 1, 1]]),
        disagree=np.array([[1, 1, 8], [1, 1, 7]]),
        votes=np.array([[10, 3, 10], [8, 2, 8]]),
    )
    found = overall_consensus(counts)
    assert prop_test(14, 18) == pytest.approx(2 * math.sqrt(19) * (15 / 19 - 0.5))
    assert prop_test(3, 5) < Z_90
    assert [(c.statement, c.direction) for c in found] == [(2, "disagree"), (0, "agree")]
    assert found[1].p == pytest.approx(15 / 20)


# The whole computation on generated conversations ------------------------------------------------------

PLANTED = [
    # participants, statements, groups, share of statements each votes on, group sizes
    (80, 40, 2, 0.7, None),
    (120, 50, 2, 0.5, [0.6, 0.4]),
    (200, 60, 3, 0.5, [0.5, 0.3, 0.2]),
    (400, 80, 3, 0.3, None),
    (1000, 200, 2, 0.15, [0.7, 0.3]),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("participants", "statements", "groups", "share", "sizes"), PLANTED)
def test_planted_groups_are_recovered(participants, statements, groups, share, sizes, seed):
    conversation = planted_conversation(
        participants,
        statements,
        n_groups=groups,
        vote_share=share,
        pass_share=0.1,
        loyalty=0.9,
        group_shares=sizes,
        seed=seed,
    )
    assert np.isnan(conversation.table.dense()).mean() > 0.2  # missing votes
    assert (conversation.table.values == 0).any()  # passes
    result = compute_opinion_groups(conversation.table)
    placed = result.placed
    assert result.n_groups == groups
    ari = adjusted_rand_index(conversation.planted[placed], result.group_of_participant[placed])
    assert ari >= 0.9


def test_the_same_votes_give_the_same_groups():
    table = planted_conversation(150, 40, n_groups=3, vote_share=0.5, seed=5).table
    first, second = compute_opinion_groups(table), compute_opinion_groups(table)
    np.testing.assert_array_equal(first.group_of_participant, second.group_of_participant)
    np.testing.assert_allclose(first.positions, second.positions)


def test_groups_keep_their_numbers_and_the_map_its_orientation_after_new_votes():
    conversation = planted_conversation(200, 60, n_groups=3, vote_share=0.5, seed=7)
    table = conversation.table
    first = compute_opinion_groups(table)
    # Twenty more votes arrive; the groups are recomputed from the previous state.
    rng = np.random.default_rng(0)
    extra_rows = rng.integers(0, 200, 20)
    extra_cols = rng.integers(0, 60, 20)
    extra_values = conversation.stances[conversation.planted[extra_rows], extra_cols]
    more = VoteTable.from_arrays(
        table.participant_ids,
        table.statement_ids,
        np.r_[table.rows, extra_rows],
        np.r_[table.cols, extra_cols],
        np.r_[table.values, extra_values],
    )
    second = compute_opinion_groups(more, previous=first.state())
    both = np.intersect1d(first.placed, second.placed)
    same = first.group_of_participant[both] == second.group_of_participant[both]
    assert same.mean() > 0.95  # the same names, not only the same partition
    for axis in range(2):
        assert first.components[axis] @ second.components[axis] > 0.9


def test_the_number_of_groups_does_not_flicker():
    three = planted_conversation(300, 60, n_groups=3, vote_share=0.5, seed=2).table
    fresh = compute_opinion_groups(three)
    assert fresh.n_groups == 3
    state = fresh.state()
    state.k_choice = KChoice(2)  # as if the last runs had shown two groups
    state.group_centres = state.group_centres[:2]
    ks = []
    for _ in range(4):
        result = compute_opinion_groups(three, previous=state)
        ks.append(result.n_groups)
        state = result.state()
    assert ks == [2, 2, 2, 3]


def test_consensus_statements_of_a_planted_conversation_are_the_common_ground():
    conversation = planted_conversation(
        300, 40, n_groups=2, vote_share=0.6, loyalty=0.95, common_share=0.25, seed=4
    )
    result = compute_opinion_groups(conversation.table)
    common = set(np.flatnonzero((conversation.stances == 1).all(axis=0)))
    agreed = {c.statement for c in result.consensus if c.direction == "agree"}
    assert common and common <= agreed
    ranked = np.argsort(-result.consensus_agree)[: len(common)]
    assert set(ranked) == common


def test_too_few_voters_for_groups_still_gives_a_result():
    table = table_of([[1, -1], [1, nan]])
    result = compute_opinion_groups(table)
    assert len(result.placed) == 2
    assert result.n_groups == 1
    empty = compute_opinion_groups(VoteTable.from_triples([], statement_ids=[1, 2]))
    assert empty.n_groups == 0 and empty.votes_used == 0


def test_a_majority_carried_by_one_large_group_is_not_common_ground():
    # 9 of 10 in the large group agree, 1 of 3 in the small one: a significant majority of all,
    # (10 + 1) / (13 + 2) = 0.73, but the small group leans the other way: (1 + 1) / (3 + 2) = 0.4.
    counts = GroupCounts(
        agree=np.array([[9, 8], [1, 3]]),
        disagree=np.array([[1, 2], [2, 0]]),
        votes=np.array([[10, 10], [3, 3]]),
    )
    found = {c.statement: c for c in overall_consensus(counts)}
    assert found[0].p == pytest.approx(11 / 15) and found[0].p_test > Z_90
    assert found[0].every_group is False
    assert found[1].every_group is True
