"""The search page: one box, filters, highlighted matches, pages, an empty state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.core.languages import in_language

URL = "/en/search/"


def test_the_page_without_a_query_invites_a_search(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<search>" in page and 'type="search" name="q"' in page
    assert "Type in your language" in page


def test_results_show_highlighted_titles_and_snippets_with_links(client, add_document):
    add_document(1, "Participatory budget", summary="Residents decide on the budget.", city="Paris")
    page = client.get(URL, {"q": "budget"}).content.decode()
    assert '<a href="/practice/1/" lang="en">Participatory <mark>budget</mark></a>' in page
    assert "Residents decide on the <mark>budget</mark>." in page
    assert "1 result" in page


def test_stored_html_and_the_query_are_escaped_on_the_page(client, add_document):
    add_document(1, "<script>alert(1)</script> budget", summary="<img src=x onerror=alert(2)>")
    page = client.get(URL, {"q": '"><script>alert(3)</script> budget'}).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;<mark>script</mark>&gt;" in page


def test_nothing_found_says_so_and_suggests_what_to_do(client, add_document):
    add_document(1, "Participatory budget")
    page = client.get(URL, {"q": "xylophone"}).content.decode()
    assert "Nothing found for “xylophone”." in page
    page = client.get(URL, {"q": "xylophone", "country": "FR"}).content.decode()
    assert "Try fewer filters" in page


def test_filters_narrow_the_results_and_a_bad_filter_is_named(client, add_document):
    add_document(1, "Garden in Paris", country="FR")
    add_document(2, "Garden in Berlin", country="DE")
    page = client.get(URL, {"q": "garden", "country": "DE"}).content.decode()
    assert "</mark> in Berlin</a>" in page and "in Paris" not in page
    response = client.get(URL, {"q": "garden", "city_size": "enormous"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page  # the bad choice is named next to its field
    assert "</mark> in Berlin</a>" in page and "</mark> in Paris</a>" in page


def test_pages_link_to_each_other_keeping_the_query_and_filters(client, add_document):
    for number in range(1, 26):
        add_document(number, f"Garden {number}", country="FR")
    first = client.get(URL, {"q": "garden", "country": "FR"}).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?q=garden&amp;country=FR&amp;page=2" rel="next"' in first
    second = client.get(URL, {"q": "garden", "country": "FR", "page": 2}).content.decode()
    assert second.count('class="search-hit"') == 5 and 'rel="prev"' in second


def test_the_page_speaks_the_visitors_language(client, add_document):
    add_document(1, "Garden")
    page = client.get(in_language(URL, "de"), {"q": "garden"}).content.decode()
    assert '<html lang="de"' in page


@pytest.mark.parametrize("meaning", [False, True])
def test_the_search_page_needs_the_same_queries_for_3_or_40_results(
    client, add_document, request, meaning
):
    if meaning:
        request.getfixturevalue("topics")

    def count_queries() -> int:
        client.get(URL, {"q": "garden"})  # loads the vector matrix once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": "garden"})
        assert response.status_code == 200
        return len(queries)

    for number in range(1, 4):
        add_document(number, f"Garden {number}", body="school garden")
    few = count_queries()
    for number in range(4, 41):
        add_document(number, f"Garden {number}", body="school garden")
    many = count_queries()
    assert few == many
    # networks for the filter; [index version]; words; facets; the page's documents
    assert many == (5 if meaning else 4)


def test_the_search_url_is_named(db):
    assert reverse("search:search") == URL
