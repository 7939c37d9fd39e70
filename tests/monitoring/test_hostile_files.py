"""Hostile or broken files are refused with the row and column named, never with a server error,
and nothing is stored."""

import json

import pytest

from conet.monitoring.readers import ImportFailed, read_geojson
from conet.monitoring.services import store_observations
from tests.factories import AreaFactory, AreaLevelFactory

SQUARE = [[[13.0, 52.0], [13.1, 52.0], [13.1, 52.1], [13.0, 52.0]]]


def _feature(**overrides):
    feature = {
        "type": "Feature",
        "properties": {"code": "A1", "name": "Area one"},
        "geometry": {"type": "Polygon", "coordinates": SQUARE},
    }
    feature.update(overrides)
    return feature


def _collection(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


NESTED = (
    '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"
).encode()

HOSTILE = {
    "nested 100,000 deep": NESTED,
    "features not a list": _collection().replace(b'"features": []', b'"features": "all"'),
    "a feature that is a string": _collection("not a feature"),
    "properties that are a list": _collection(_feature(properties=["code", "A1"])),
    "geometry that is a number": _collection(_feature(geometry=7)),
    "coordinates that are words": _collection(
        _feature(
            geometry={
                "type": "Polygon",
                "coordinates": [[["a", "b"], ["c", "d"], ["e", "f"], ["a", "b"]]],
            }
        )
    ),
    "coordinates that are booleans": _collection(
        _feature(geometry={"type": "Polygon", "coordinates": [[[True, False]] * 4]})
    ),
    "a MultiPolygon of strings": _collection(
        _feature(geometry={"type": "MultiPolygon", "coordinates": ["x", "y"]})
    ),
    "a code of 500 characters": _collection(_feature(properties={"code": "A" * 500, "name": "x"})),
    "a name of 5,000 characters": _collection(
        _feature(properties={"code": "A1", "name": "n" * 5000})
    ),
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_geojson_is_refused_with_a_problem_not_an_error(data):
    with pytest.raises(ImportFailed) as refused:
        read_geojson(data)
    assert refused.value.problems


def test_an_odd_crs_member_is_read_as_wgs84_not_an_error():
    (shape,) = read_geojson(_collection(_feature(), crs="EPSG:4326"))
    assert shape.code == "A1"


def test_an_over_long_name_is_named_by_row_and_column():
    with pytest.raises(ImportFailed) as refused:
        read_geojson(
            _collection(_feature(), _feature(properties={"code": "A2", "name": "n" * 201}))
        )
    (problem,) = refused.value.problems.items
    assert (problem.row, problem.column) == (2, "name")
    assert "200" in problem.message


@pytest.mark.django_db
def test_an_over_long_indicator_code_is_refused_and_nothing_is_stored(city):
    from conet.monitoring.models import Indicator, Observation

    AreaFactory(city=city, level=AreaLevelFactory(city=city), code="A1")
    data = ("area;" + "X" * 300 + "\nA1;1,5\n").encode()
    with pytest.raises(ImportFailed):
        store_observations(city, data, period="2021", create_missing_indicators=True)
    assert not Indicator.objects.exists()
    assert not Observation.objects.exists()
