"""GET /api/v1/search: the same results as the page, as JSON; bad parameters are 422 naming them."""

import pytest

URL = "/api/v1/search"


@pytest.fixture
def practices(add_document):
    add_document(
        1,
        "Participatory budget",
        summary="Residents decide on the <b>budget</b>.",
        country="FR",
        city="Paris",
        core_tasks=("1",),
    )
    add_document(2, "Budget meeting", kind="meeting", summary="The network's budget.")


def test_search_returns_hits_with_highlighted_escaped_summaries(client, practices):
    response = client.get(URL, {"q": "budget"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2 and data["mode"] == "fulltext" and data["num_pages"] == 1
    hit = next(hit for hit in data["hits"] if hit["kind"] == "practice")
    assert hit["title"] == "Participatory budget"
    assert hit["summary"] == "Residents decide on the &lt;b&gt;<mark>budget</mark>&lt;/b&gt;."
    assert hit["facets"]["country"] == "FR" and hit["facets"]["core_tasks"] == ["1"]
    assert hit["url"] == "/practice/1/" and hit["matched_by"] == ["words"]
    assert {f["value"]: f["count"] for f in data["facets"]["kind"]} == {"practice": 1, "meeting": 1}


def test_filters_and_pages(client, practices, organisation_kind):
    data = client.get(URL, {"q": "budget", "country": "fr"}).json()
    assert [hit["object_id"] for hit in data["hits"]] == [1]
    data = client.get(URL, {"q": "budget", "per_page": 1, "page": 2}).json()
    assert data["page"] == 2 and len(data["hits"]) == 1 and data["num_pages"] == 2
    data = client.get(URL, {"q": "budget", "kind": ["organisation"]}).json()
    assert data["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "budget", "per_page": 500}, "per_page"),
        ({"q": "budget", "page": 0}, "page"),
        ({"q": "budget", "city_size": "enormous"}, "city_size"),
        ({"q": "budget", "kind": "unicorn"}, "kind"),
        ({"q": "budget", "language": "xx"}, "language"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(client, practices, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
