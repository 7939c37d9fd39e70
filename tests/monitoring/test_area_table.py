"""Areas without shapes: from a CSV table, from GeoJSON features with a null geometry and from the
API; their shapes can come later. Nothing is stored unless every row is good."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from conet.monitoring.models import Area, AreaLevel
from conet.monitoring.readers import ImportFailed
from conet.monitoring.services import import_areas_geojson, import_areas_table
from tests.factories import CityFactory
from tests.monitoring.conftest import square

TABLE = """code;name;level;parent
D1;Mitte;district;
D2;Nord;district;
P11;Tiergarten;planning-area;D1
P12;Moabit;planning-area;D1
P21;Wedding;planning-area;D2
"""


@pytest.fixture
def city(db):
    return CityFactory(slug="newtown")


def _areas(city) -> dict[str, tuple]:
    rows = Area.objects.filter(city=city).values_list(
        "code", "name", "level__code", "parent__code", "geometry"
    )
    return {code: rest for code, *rest in rows}


def test_a_table_makes_areas_without_shapes_and_their_levels_in_order(city, admin):
    assert import_areas_table(city, TABLE.encode(), by=admin) == 5
    areas = _areas(city)
    assert areas["P12"] == ["Moabit", "planning-area", "D1", None]
    assert areas["D2"] == ["Nord", "district", None, None]
    levels = list(AreaLevel.objects.filter(city=city).values_list("code", "position"))
    assert levels == [("planning-area", 0), ("district", 1)]


def test_the_shapes_come_later_by_geojson_and_a_new_table_keeps_them(city, admin):
    import_areas_table(city, TABLE.encode(), by=admin)
    feature = {"type": "Feature", "properties": {"code": "P11"}, "geometry": square(13.3, 52.5)}
    collection = {"type": "FeatureCollection", "features": [feature]}
    import_areas_geojson(city, json.dumps(collection).encode(), by=admin, level="planning-area")
    # the name and the parent are kept when the file of shapes has none
    assert _areas(city)["P11"] == ["Tiergarten", "planning-area", "D1", square(13.3, 52.5)]
    import_areas_table(city, TABLE.replace("Tiergarten", "Tiergarten Süd").encode(), by=admin)
    assert _areas(city)["P11"] == ["Tiergarten Süd", "planning-area", "D1", square(13.3, 52.5)]


def test_a_geojson_feature_with_a_null_geometry_is_an_area_without_a_shape(city, admin):
    features = [
        {"type": "Feature", "properties": {"code": "X1", "name": "One"}, "geometry": None},
        {"type": "Feature", "properties": {"code": "X2", "name": "Two"}, "geometry": square(1, 1)},
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert import_areas_geojson(city, data, by=admin, level="block") == 2
    assert _areas(city)["X1"] == ["One", "block", None, None]


def test_a_feature_without_any_geometry_member_is_still_refused(city, admin):
    features = [{"type": "Feature", "properties": {"code": "X1"}}]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    with pytest.raises(ImportFailed):
        import_areas_geojson(city, data, by=admin, level="block")
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("code;name\nA;B\n", "missing: level"),
        (
            "code;name;level;parent\nA;One;area;ZZ\n",
            "Row 2, column “parent”: No area with the code “ZZ”.",
        ),
        ("code;name;level;parent\nA;One;area;\nA;Two;area;\n", "given twice (first in row 2)"),
        ("code;name;level;parent\nA;;area;\n", "Row 2, column “name”: Give the area a name."),
        (
            "code;name;level;parent\nA;One;area;B\nB;Two;area;A\n",
            "The parents of “A” lead back to it.",
        ),
        ("code;name;level;parent\na b;One;area;\n", "Row 2, column “code”"),
        ("code;name;level;parent\nA;One;;\n", "Row 2, column “level”"),
        ("code;name;level;parent\n", "The table has no areas."),
    ],
)
def test_a_bad_table_names_row_and_column_and_stores_nothing(city, admin, table, problem):
    with pytest.raises(ImportFailed) as refused:
        import_areas_table(city, table.encode(), by=admin)
    assert any(problem in message for message in refused.value.messages), refused.value.messages
    assert not Area.objects.exists() and not AreaLevel.objects.exists()


def test_the_page_imports_a_table_and_shows_problems_in_the_persons_language(city, admin, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin)
    with translation.override("it"):
        url = reverse("monitoring:import_area_table", args=[city.slug])
    bad = SimpleUploadedFile("a.csv", b"code;name;level;parent\nA;One;area;ZZ\n")
    response = client.post(url, {"file": bad}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 422
    assert "Nessuna area con il codice «ZZ»" in response.content.decode()
    good = SimpleUploadedFile("a.csv", TABLE.encode())
    response = client.post(url, {"file": good}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 302
    assert Area.objects.filter(city=city).count() == 5


def test_the_api_saves_areas_and_adds_a_shape_later(city, admin, client):
    client.force_login(admin)
    url = f"/api/v1/cities/{city.slug}/areas"
    areas = [
        {"code": "D1", "name": "Mitte", "level": "district"},
        {"code": "P11", "name": "Tiergarten", "level": "planning-area", "parent": "D1"},
    ]
    response = client.post(url, {"areas": areas}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json() == {"saved": 2}
    assert client.get(f"{url}/P11").json()["geometry"] is None
    shaped = [{**areas[1], "geometry": square(13.3, 52.5)}]
    assert client.post(url, {"areas": shaped}, content_type="application/json").status_code == 201
    assert client.get(f"{url}/P11").json()["geometry"] == square(13.3, 52.5)
    again = [areas[1]]  # without a geometry: the shape stays
    assert client.post(url, {"areas": again}, content_type="application/json").status_code == 201
    assert client.get(f"{url}/P11").json()["geometry"] == square(13.3, 52.5)


def test_the_api_refuses_a_bad_shape_and_an_unknown_parent_and_stores_nothing(city, admin, client):
    client.force_login(admin)
    areas = [
        {"code": "A1", "name": "One", "level": "area", "geometry": {"type": "Point"}},
        {"code": "A2", "name": "Two", "level": "area", "parent": "nowhere"},
    ]
    response = client.post(
        f"/api/v1/cities/{city.slug}/areas", {"areas": areas}, content_type="application/json"
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {(1, "geometry")}
    assert not Area.objects.exists()
