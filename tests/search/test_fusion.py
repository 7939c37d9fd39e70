"""Reciprocal rank fusion: each list gives an item 1/(60 + rank)."""

import pytest

from conet.search.selectors import reciprocal_rank_fusion


def test_an_item_gets_one_over_sixty_plus_its_rank_from_each_list():
    fused = dict(reciprocal_rank_fusion([[10, 20, 30], [30, 10]]))
    assert fused[10] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[20] == pytest.approx(1 / 62)
    assert fused[30] == pytest.approx(1 / 63 + 1 / 61)


def test_an_item_both_lists_rank_well_beats_the_first_of_a_single_list():
    fused = [item for item, _score in reciprocal_rank_fusion([[1, 2, 3], [2, 9, 8]])]
    assert fused[0] == 2
    assert fused.index(1) < fused.index(9)


def test_ties_keep_the_order_in_which_items_were_first_met():
    fused = [item for item, _score in reciprocal_rank_fusion([[5, 6], [7, 8]])]
    assert fused == [5, 7, 6, 8]


def test_one_list_alone_keeps_its_order_and_empty_lists_give_nothing():
    assert [i for i, _ in reciprocal_rank_fusion([[3, 1, 2]])] == [3, 1, 2]
    assert reciprocal_rank_fusion([[], []]) == []
    assert reciprocal_rank_fusion([]) == []


def test_k_is_a_parameter():
    fused = dict(reciprocal_rank_fusion([[1]], k=0))
    assert fused[1] == 1.0
