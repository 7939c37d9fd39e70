"""What search is told about practices: published ones only, with their facets."""

import pytest

from conet.search import registry

pytestmark = pytest.mark.django_db


def test_a_published_practice_is_searchable_with_its_facets(practice, network):
    searchable = registry.get("practice")
    document = searchable.document(practice)
    assert document.title == practice.name and document.url == practice.get_absolute_url()
    assert (document.language, document.network, document.country) == ("en", network.slug, "ES")
    assert (document.city, document.city_population) == (practice.city_name, 270_000)
    assert document.core_tasks == ("1", "2")  # the numbers search filters on
    assert practice.summary in document.body


def test_a_draft_is_not_searchable(draft):
    assert registry.get("practice").document(draft) is None


def test_the_index_reads_practices_in_a_fixed_number_of_queries(
    practice, draft, django_assert_num_queries
):
    searchable = registry.get("practice")
    with django_assert_num_queries(2):  # practices with their network, then their core tasks
        documents = [searchable.document(p) for p in searchable.queryset()]
    assert sum(document is not None for document in documents) == 1
