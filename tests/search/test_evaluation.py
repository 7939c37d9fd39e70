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


def test_graded_ndcg_gains_more_for_a_better_grade_first():
    grades = {1: 3, 2: 1}
    assert ndcg_at([1, 2], grades) == pytest.approx(1.0)
    assert ndcg_at([2, 1], grades) < ndcg_at([1, 2], grades)
    # 2^3 − 1 = 7 at rank 2 against an ideal of 7 at rank 1 and 1 at rank 2
    assert ndcg_at([9, 1], grades) == pytest.approx((7 / 1.5849625) / (7 + 1 / 1.5849625))


def test_the_relevance_set_has_150_graded_queries_in_ten_languages_and_two_styles():
    queries = relevance_set()
    practices = dict(urbact_practices())
    assert len(practices) == 97
    mine = [q for q in queries if q["split"] in ("dev", "held-out")]
    assert len(mine) >= 150
    assert {q["language"] for q in mine} == {
        "en",
        "de",
        "it",
        "fr",
        "bg",
        "ro",
        "nl",
        "pl",
        "sv",
        "es",
    }
    assert {q["style"] for q in mine} == {"keyword", "problem"}
    assert all(q["relevant"] and q["relevant"].keys() <= practices.keys() for q in queries)
    assert all(set(q["relevant"].values()) <= {1, 2, 3} for q in queries)
    # a topic is in one split only: held-out topics were never looked at while developing
    splits = {}
    for q in mine:
        splits.setdefault(q["topic"], set()).add(q["split"])
    assert all(len(s) == 1 for s in splits.values())
    assert len(relevance_set(split="held-out")) >= 40
    assert practices[25].title == "Participatory budget"
