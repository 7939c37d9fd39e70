"""The OpenAPI document says what the API does: it validates, every schema name is one schema,
and every operation lists the errors it can answer."""

import json

import pytest
from ninja import Schema
from openapi_spec_validator import validate

from tests.factories import api_headers


@pytest.fixture
def document(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_validates(document):
    validate(json.loads(json.dumps(document)))


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_no_two_schemas_share_a_name():
    """ninja names components by class name: a second class of the same name silently replaces the
    first in the document (POST …/indicators documented the monitoring body for the plan's)."""
    seen: dict[str, str] = {}
    clashes = []
    for schema in _schemas():
        if not schema.__module__.startswith("conet."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        other = seen.setdefault(schema.__name__, where)
        if other != where:
            clashes.append((other, where))
    assert clashes == []


def test_both_indicator_bodies_are_documented_as_themselves(document):
    def body(path, method="post"):
        ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        return document["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[-1]]

    plan = [p for p in document["paths"] if p.endswith("/objectives/{number}/indicators")]
    city = [p for p in document["paths"] if p.endswith("/cities/{slug}/indicators")]
    assert plan and city
    assert "definition" in body(plan[0])["properties"]
    assert "higher_is_worse" in body(city[0])["properties"]


def test_every_operation_documents_its_errors(document):
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            expected = {"400", "404"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if method == "patch":
                expected |= {"409", "422"}
            if not expected <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert missing == []


def test_the_city_read_carries_the_version_that_patch_asks_for(people, city, client, document):
    assert "version" in document["components"]["schemas"]["CityOut"]["required"]
    read = client.get(f"/api/v1/cities/{city.slug}").json()
    response = client.patch(
        f"/api/v1/cities/{city.slug}",
        data={"version": read["version"], "name": "Renamed"},
        content_type="application/json",
        headers=api_headers(people["platform_admin"]),
    )
    assert response.status_code == 200
    assert response.json()["version"] == read["version"] + 1


def test_availability_is_documented_as_pairs_of_dates(document):
    field = document["components"]["schemas"]["ProfileIn"]["properties"]["availability"]
    pair = field["items"]
    assert pair["type"] == "array"
    assert pair["items"] == {"format": "date", "type": "string"}
    assert pair["minItems"] == pair["maxItems"] == 2


def test_no_operation_lists_a_status_code_twice(db, client):
    """json.loads keeps the last of two equal keys; Swagger UI refuses the document instead."""
    duplicates = []

    def refuse_duplicates(pairs):
        keys = [key for key, _value in pairs]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=refuse_duplicates)
    assert duplicates == []
