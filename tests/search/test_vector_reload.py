"""A large index is reloaded in a thread: searches keep answering from the matrix they have."""

from conet.search import vectors
from conet.search.selectors import search


def test_a_large_index_answers_from_the_old_matrix_while_a_thread_loads_the_new(
    transactional_db, topics, add_document, monkeypatch
):
    monkeypatch.setattr(vectors, "BACKGROUND_RELOAD_ROWS", 1)
    add_document(1, "Homes for homeless families")
    assert [hit.object_id for hit in search("alloggi", language="it").hits] == [1]

    add_document(2, "A housing cooperative")
    assert [hit.object_id for hit in search("alloggi", language="it").hits] == [1]  # not waited for
    vectors._reloading.join()
    assert {hit.object_id for hit in search("alloggi", language="it").hits} == {1, 2}


def test_a_small_index_is_reloaded_at_once(topics, add_document):
    add_document(1, "Homes for homeless families")
    search("alloggi", language="it")
    add_document(2, "A housing cooperative")
    assert {hit.object_id for hit in search("alloggi", language="it").hits} == {1, 2}
    assert vectors._reloading is None
