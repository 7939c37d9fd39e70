"""Meaning search fused with words: a query finds texts in other languages; with meaning off, or
before vectors are ready, search works on words alone."""

import pytest

from conet.search import vectors
from conet.search.models import SearchVector
from conet.search.selectors import rank_by_meaning, search, similar_documents


@pytest.fixture
def practices(topics, add_document):
    return {
        "housing": add_document(1, "Homes for homeless families", summary="Empty flats."),
        "school": add_document(2, "A school in every quarter", summary="Education for all."),
        "garden": add_document(
            3, "Gemeinschaftsgarten", language="de", summary="Ein Garten im Kiez.", country="DE"
        ),
        "garden_meeting": add_document(
            4, "Garden visit", kind="meeting", summary="We visit a garden."
        ),
    }


def test_a_query_in_italian_finds_the_english_practice_by_meaning(practices):
    results = search("alloggi per tutti", language="it")
    assert results.mode == "fused"
    assert [hit.title for hit in results.hits] == ["Homes for homeless families"]
    assert results.hits[0].matched_by == ("meaning",)


def test_words_break_a_tie_in_meaning_but_never_outrank_a_closer_meaning(practices, add_document):
    add_document(5, "Garden budget", summary="Money for the garden")
    add_document(6, "Garden day", summary="A day in the garden")
    results = search("garden", language="en", kinds=["practice"])
    # "Garden day" and the German garden mean the same to the model; the words decide between
    # them. "Garden budget" matches the word too but is half about money: it comes after both.
    assert [hit.title for hit in results.hits] == [
        "Garden day",
        "Gemeinschaftsgarten",
        "Garden budget",
    ]
    assert results.hits[0].matched_by == ("words", "meaning")
    assert results.hits[1].matched_by == ("meaning",)


def test_filters_apply_to_the_meaning_side_too(practices):
    assert [
        hit.title for hit in search("jardin", language="fr", filters={"country": "DE"}).hits
    ] == ["Gemeinschaftsgarten"]
    assert [hit.title for hit in search("jardin", language="fr", kinds=["meeting"]).hits] == [
        "Garden visit"
    ]


def test_before_any_vector_is_ready_search_works_on_words(practices):
    SearchVector.objects.all().delete()
    vectors.bump_counter()
    results = search("homeless", language="en")
    assert results.mode == "fulltext"
    assert [hit.title for hit in results.hits] == ["Homes for homeless families"]


def test_with_meaning_search_off_search_works_on_words(add_document):
    add_document(1, "Homes for homeless families")
    assert search("homeless", language="en").mode == "fulltext"
    assert search("alloggi", language="it").total == 0
    assert similar_documents("practice", 1) == []
    assert rank_by_meaning("alloggi", kind="practice") == []


def test_similar_documents_are_of_the_same_kind_and_never_the_document_itself(
    practices, add_document
):
    add_document(6, "Kitchen garden for pupils", summary="Vegetables")
    similar = similar_documents("practice", 3, limit=5)
    assert similar[0].object_id == 6
    assert all(hit.kind == "practice" and hit.object_id != 3 for hit in similar)
    assert similar_documents("practice", 999) == []


def test_rank_by_meaning_gives_object_ids_and_scores_best_first(practices):
    ranked = rank_by_meaning("Wohnungen für Obdachlose", kind="practice", limit=2)
    assert ranked[0][0] == 1
    assert ranked[0][1] == pytest.approx(1.0)
    assert len(ranked) == 2 and ranked[0][1] >= ranked[1][1]
    assert rank_by_meaning("", kind="practice") == []


def test_meaning_only_and_words_only_modes(practices):
    assert search("alloggi", language="it", mode="fulltext").total == 0
    meaning = search("homeless", language="en", mode="meaning")
    assert meaning.mode == "meaning"
    assert [hit.object_id for hit in meaning.hits] == [1]


def test_the_process_reloads_its_matrix_when_the_index_changed(practices, add_document):
    search("garden", language="en")
    before = vectors._cached
    search("garden", language="en")
    assert vectors._cached is before  # nothing changed: no reload
    add_document(7, "Another garden")
    results = search("garden", language="en", kinds=["practice"])
    assert vectors._cached is not before
    assert 7 in {hit.object_id for hit in results.hits}


def test_a_query_no_document_stands_out_for_finds_nothing(practices):
    # The test backend puts words of no known topic on one axis of their own: every document
    # scores the same for them, so none stands out and the list is empty.
    results = search("xyzzy qwerty", language="en")
    assert results.total == 0 and results.hits == []


def test_the_best_match_is_found_even_when_it_matches_only_in_part(practices, add_document):
    # "Garden budget" is half about gardens (cosine 0.45 with a query about budgets): a fixed
    # floor of 0.80 dropped it; the cut is relative to the best score, and it is the best.
    add_document(5, "Garden budget", summary="Money for the garden")
    results = search("presupuesto", language="es", kinds=["practice"])
    assert [hit.title for hit in results.hits] == ["Garden budget"]
