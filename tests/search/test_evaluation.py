"""The measures of the relevance benchmark, and the relevance set itself."""

import pytest

from conet.search.evaluation import ndcg_at, recall_at, relevance_set, urbact_practices


def test_ndcg_is_one_for_the_ideal_order_and_discounts_later_ranks():
    assert ndcg_at([1, 2, 9], {1, 2}) == pytest.approx(1.0)
    assert ndcg_at([9, 1, 2], {1, 2}) == pytest.approx(
        (1 / 1.5849625 + 1 / 2) / (1 + 1 / 1.5849625)
    )
    assert ndcg_at([9, 8], {1}) == 0.0
    assert ndcg_at([], set()) == 0.0


def test_recall_counts_the_relevant_found_in_the_first_k():
    assert recall_at([1, 9, 2], {1, 2, 3, 4}) == 0.5
    assert recall_at(list(range(20)), {15}, k=10) == 0.0


def test_the_relevance_set_has_30_queries_in_5_languages_about_the_97_practices():
    queries = relevance_set()
    practices = dict(urbact_practices())
    assert len(practices) == 97
    assert len(queries) >= 30
    assert len({q["language"] for q in queries}) >= 5
    assert all(q["relevant"] and q["relevant"] <= practices.keys() for q in queries)
    assert practices[25].title == "Participatory budget"
