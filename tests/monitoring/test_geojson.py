"""Areas with shapes from GeoJSON, in WGS 84 or a projected system converted on import."""

import json

import pytest

from conet.monitoring.models import Area
from conet.monitoring.readers import ImportFailed
from conet.monitoring.services import import_areas_geojson
from tests.monitoring.conftest import square


def collection(features, crs: str = "") -> bytes:
    document = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document).encode()


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def test_wgs84_shapes_create_areas_with_parents(monitored_city, admin):
    data = collection(
        [
            feature("N1", square(13.2, 52.4), name="North One", parent="D1"),
            feature(
                "N2",
                {"type": "MultiPolygon", "coordinates": [square(13.3, 52.4)["coordinates"]]},
                name="North Two",
                parent="N1",
            ),
        ]
    )
    count = import_areas_geojson(
        monitored_city, data, by=admin, level="block", parent_property="parent"
    )
    assert count == 2
    n2 = Area.objects.get(city=monitored_city, code="N2")
    assert (n2.name, n2.level.code, n2.parent.code) == ("North Two", "block", "N1")
    assert n2.geometry["type"] == "MultiPolygon"
    assert Area.objects.get(code="N1").parent.code == "D1"


def test_shapes_of_existing_areas_are_replaced_by_code(monitored_city, admin):
    data = collection([feature("A1", square(14.0, 50.0), name="Area One renamed")])
    import_areas_geojson(monitored_city, data, by=admin, level="area")
    a1 = Area.objects.get(city=monitored_city, code="A1")
    assert a1.name == "Area One renamed"
    assert a1.geometry["coordinates"][0][0] == [14.0, 50.0]


def utm_square(east: float, north: float, size: float = 1000) -> dict:
    ring = [[east, north], [east + size, north], [east + size, north + size], [east, north + size], [east, north]]  # fmt: skip
    return {"type": "Polygon", "coordinates": [ring]}


def test_epsg_25833_file_is_converted_to_longitude_and_latitude(monitored_city, admin):
    data = collection(
        [
            # On UTM zone 33's central meridian (15° E) at the equator: exactly (500000, 0).
            feature("EQ", utm_square(500_000, 0), name="Equator"),
            # Around Alexanderplatz, Berlin (≈ 13.41° E, 52.52° N).
            feature("ALEX", utm_square(391_500, 5_820_000), name="Alexanderplatz"),
        ],
        crs="urn:ogc:def:crs:EPSG::25833",
    )
    import_areas_geojson(monitored_city, data, by=admin, level="area")
    equator = Area.objects.get(code="EQ").geometry["coordinates"][0]
    assert equator[0] == [15.0, 0.0]
    # 1000 m east on the equator is 1000 / 111 319.49 m per degree × the UTM scale 0.9996.
    assert equator[1][0] == pytest.approx(15 + 1000 / 0.9996 / 111_319.49, abs=1e-6)
    lon, lat = Area.objects.get(code="ALEX").geometry["coordinates"][0][0]
    assert 13.38 < lon < 13.42
    assert 52.51 < lat < 52.53


def test_source_crs_can_be_given_when_the_file_does_not_say(monitored_city, admin):
    data = collection([feature("EQ", utm_square(500_000, 0))])
    import_areas_geojson(monitored_city, data, by=admin, level="area", source_crs="EPSG:25833")
    assert Area.objects.get(code="EQ").geometry["coordinates"][0][0] == [15.0, 0.0]


def _refused(city, admin, data: bytes, **options) -> list[str]:
    before = list(Area.objects.order_by("pk").values())
    with pytest.raises(ImportFailed) as refusal:
        import_areas_geojson(city, data, by=admin, level=options.pop("level", "area"), **options)
    assert list(Area.objects.order_by("pk").values()) == before
    return refusal.value.messages


def test_projected_coordinates_without_a_crs_are_refused_with_advice(monitored_city, admin):
    messages = _refused(
        monitored_city, admin, collection([feature("X", utm_square(391_500, 5_820_000))])
    )
    assert len(messages) == 1
    assert messages[0].startswith("Row 1, column “geometry”: The coordinates are not longitude")
    assert "EPSG:25833" in messages[0]


def test_broken_features_are_each_named_and_nothing_is_stored(monitored_city, admin):
    open_ring = {"type": "Polygon", "coordinates": [[[13, 52], [13.1, 52], [13.1, 52.1]]]}
    data = collection(
        [
            feature("OK", square(13.0, 52.0), parent="NOPE"),
            feature("", square(13.0, 52.0)),
            feature("OPEN", open_ring),
            feature("PT", {"type": "Point", "coordinates": [13, 52]}),
        ]
    )
    messages = _refused(monitored_city, admin, data, parent_property="parent")
    assert messages == [
        "Row 2, column “code”: The feature has no code.",
        "Row 3, column “geometry”: Give a Polygon or MultiPolygon with closed rings.",
        "Row 4, column “geometry”: Give a Polygon or MultiPolygon with closed rings.",
    ]
    # Once the geometry is right, the unknown parent is reported.
    data = collection([feature("OK", square(13.0, 52.0), parent="NOPE")])
    assert _refused(monitored_city, admin, data, parent_property="parent") == [
        "Row 1, column “parent”: No area with the code “NOPE”."
    ]


def test_not_geojson_and_unknown_crs_are_refused(monitored_city, admin):
    assert _refused(monitored_city, admin, b"{not json")[0].startswith(
        "Row 1: The file is not JSON"
    )
    assert _refused(monitored_city, admin, b'{"type": "Feature"}') == [
        "Column “type”: The file is not a GeoJSON FeatureCollection."
    ]
    data = collection([feature("A", utm_square(0, 0))], crs="EPSG:999999")
    assert _refused(monitored_city, admin, data) == [
        "Column “crs”: Unknown coordinate system: EPSG:999999"
    ]
