"""Support requests in search: members find open ones; visitors, whom the pages refuse, never do."""

import pytest

from conet.search import selectors


@pytest.fixture
def findable_request(support_request):
    support_request.title = "Mentoring for young mothers in Stolipinovo"
    support_request.save()
    return support_request


def _titles(results):
    return [hit.title for hit in results.hits]


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_person_finds_an_open_request(findable_request):
    results = selectors.search("mentoring mothers", language="en", signed_in=True)
    assert findable_request.title in _titles(results)


@pytest.mark.django_db(transaction=True)
def test_a_visitor_never_finds_a_request(findable_request):
    assert _titles(selectors.search("mentoring mothers", language="en")) == []
    asked_for_requests = selectors.search("mentoring mothers", language="en", kinds=["request"])
    assert _titles(asked_for_requests) == []


@pytest.mark.django_db(transaction=True)
def test_the_search_page_and_api_show_requests_to_members_only(client, people, findable_request):
    assert "Stolipinovo" not in client.get("/en/search/?q=mentoring").content.decode()
    assert client.get("/api/v1/search?q=mentoring").json()["total"] == 0
    client.force_login(people["expert"])
    assert "Stolipinovo" in client.get("/en/search/?q=mentoring").content.decode()
    assert client.get("/api/v1/search?q=mentoring").json()["total"] == 1
