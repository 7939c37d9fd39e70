"""The meaning ranking's parts that need a population (hubness, feedback) with the topic backend."""

import numpy as np
from django.core.cache import cache

from conet.search import embeddings, ranking
from conet.search.vectors import current_index

WORDS = ["housing", "school", "garden", "budget"]


def _many(add_document, count=24):
    for number in range(1, count + 1):
        topic = WORDS[number % len(WORDS)]
        add_document(number, f"{topic.title()} practice {number}", summary=f"About {topic}.")


def test_the_hubness_bank_is_embedded_once_and_then_read_from_the_shared_cache(
    topics, add_document
):
    _many(add_document)
    index = current_index(topics.name)
    cache.clear()  # another test may have embedded these titles already
    ranking._prepared.clear()
    ranking._bank_vectors.clear()
    before = len(topics.calls)
    prepared = ranking.prepare(index, topics)
    assert len(topics.calls) == before + 1  # the bank's titles, in one batch, as queries
    assert topics.calls[-1] == (24, True)
    assert prepared.hubness.shape == (24,)
    # A new process has neither memo: it finds the vectors in the cache and embeds nothing.
    ranking._prepared.clear()
    ranking._bank_vectors.clear()
    again = ranking.prepare(index, topics)
    assert len(topics.calls) == before + 1
    assert np.allclose(again.hubness, prepared.hubness)


def test_below_twenty_documents_there_is_no_hubness_and_no_feedback(topics, add_document):
    _many(add_document, count=8)
    index = current_index(topics.name)
    assert not ranking.prepare(index, topics).hubness.any()
    query = embeddings.backend().query("garden")
    ranked = ranking.rank(index, topics, query, np.ones(8, dtype=bool), 10)
    assert [doc_id for doc_id, _ in ranked] and all(score == 1.0 for _, score in ranked)


def test_without_the_cut_the_limit_closest_come_back(topics, add_document):
    _many(add_document)
    index = current_index(topics.name)
    query = topics.query("garden")
    keep = np.ones(len(index.doc_ids), dtype=bool)
    assert len(ranking.rank(index, topics, query, keep, 10)) == 6  # the six garden practices
    assert len(ranking.rank(index, topics, query, keep, 10, cut=False)) == 10
