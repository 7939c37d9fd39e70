"""Search by words: FTS5 on SQLite, tsvector on PostgreSQL; the same results on both."""

import pytest

from conet.search.selectors import search


@pytest.fixture
def practices(add_document):
    add_document(
        1,
        "Participatory budget",
        summary="Residents decide how to spend part of the city budget.",
        body="Neighbourhood assemblies vote on projects.",
        country="FR",
        city="Paris",
        city_population=2_100_000,
        network="urbact",
        core_tasks=("1",),
    )
    add_document(
        2,
        "Housing for everyone",
        summary="Empty flats become homes for homeless families.",
        body="The city rents empty flats and the budget covers repairs.",
        country="BG",
        city="Dupnitsa",
        city_population=35_000,
        network="conet",
        core_tasks=("2", "6"),
    )
    add_document(
        3,
        "Ein Garten für alle",
        language="de",
        summary="Nachbarn gärtnern gemeinsam in Moabit.",
        country="DE",
        city="Berlin",
        city_population=3_600_000,
        network="conet",
        core_tasks=("3",),
    )
    add_document(4, "Spring meeting", kind="meeting", summary="The budget of the network.")


def titles(results):
    return [hit.title for hit in results.hits]


def test_words_in_the_title_rank_before_words_in_the_body(practices):
    results = search("budget", language="en")
    assert results.mode == "fulltext"
    assert titles(results)[0] == "Participatory budget"
    assert set(titles(results)) == {
        "Participatory budget",
        "Housing for everyone",
        "Spring meeting",
    }
    assert results.total == 3


def test_a_word_matches_its_variants_and_accents_do_not_matter(practices):
    assert titles(search("participation", language="en")) == ["Participatory budget"]
    assert titles(search("GARTEN fur", language="de")) == ["Ein Garten für alle"]
    assert titles(search("gartnern", language="de")) == ["Ein Garten für alle"]


def test_nothing_found_gives_an_empty_result(practices):
    results = search("xylophone", language="en")
    assert results.hits == [] and results.total == 0
    assert search("   ", language="en").total == 0
    assert search("the of and", language="en").total == 0  # only function words


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "meeting"}, {"Spring meeting"}),
        ({"country": "fr"}, {"Participatory budget"}),
        ({"city_size": "small"}, {"Housing for everyone"}),
        ({"network": "conet"}, {"Housing for everyone"}),
        ({"core_task": "6"}, {"Housing for everyone"}),
        ({"core_task": "1"}, {"Participatory budget"}),
        ({"language": "de"}, set()),
        ({"city_size": "huge"}, {"Participatory budget", "Housing for everyone", "Spring meeting"}),
    ],
)
def test_filters_narrow_the_results(practices, filters, expected):
    assert set(titles(search("budget", language="en", filters=filters))) == expected


def test_kinds_narrow_like_the_kind_filter(practices):
    assert titles(search("budget", language="en", kinds=["meeting"])) == ["Spring meeting"]


def test_results_come_in_pages(add_document):
    for number in range(1, 8):
        add_document(number, f"Garden number {number}")
    first = search("garden", language="en", per_page=3)
    last = search("garden", language="en", per_page=3, page=3)
    beyond = search("garden", language="en", per_page=3, page=99)
    assert (first.total, first.num_pages, len(first.hits)) == (7, 3, 3)
    assert first.has_next and not first.has_previous
    assert len(last.hits) == 1 and not last.has_next
    assert beyond.page == 3
    everything = {
        h.object_id
        for p in (1, 2, 3)
        for h in search("garden", language="en", per_page=3, page=p).hits
    }
    assert everything == set(range(1, 8))


def test_hits_carry_highlighted_snippets_facets_and_labels(practices):
    hit = search("homeless", language="en").hits[0]
    assert "<mark>homeless</mark>" in str(hit.summary)
    assert hit.facets["city"] == "Dupnitsa" and hit.facets["core_tasks"] == ["2", "6"]
    assert hit.url == "/practice/2/" and hit.matched_by == ("words",)
    results = search("budget", language="en")
    assert dict(results.facets["kind"]) == {"practice": 2, "meeting": 1}


def test_the_index_follows_updates_of_the_text(add_document):
    add_document(1, "Old words")
    add_document(1, "Fresh words")
    assert titles(search("fresh", language="en")) == ["Fresh words"]
    assert titles(search("old", language="en")) == []


def test_every_word_first_then_any_word_of_title_or_summary(add_document):
    add_document(1, "Garden budget")
    add_document(2, "Garden for all")
    add_document(3, "Meeting", body="The budget of the meeting")
    assert [hit.object_id for hit in search("garden budget", language="en").hits] == [1, 2]
    assert [hit.object_id for hit in search("budget", language="en").hits][-1] == 3
