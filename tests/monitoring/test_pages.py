"""The public monitoring pages, the API reads and the CSV exports."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.monitoring.conftest import build_city


@pytest.fixture
def testville(db):
    return build_city(10)


def test_map_page_embeds_shapes_with_classes_and_a_legend(testville, client):
    response = client.get("/en/cities/testville/monitoring/?layer=index:status&period=2021")
    assert response.status_code == 200
    page = response.content.decode()
    features = response.context["page"].features
    embedded = page.split('id="monitoring-features"', 1)[1].split(">", 1)[1].split("</script>")[0]
    assert json.loads(embedded) == features
    # Areas 5 and 10 have no shape: drawn are the other eight, listed are all ten.
    assert len(features) == 8
    assert {f["properties"]["class_label"] for f in features} <= {"good", "medium", "poor"}
    assert 'id="monitoring-features"' in page
    assert "2 areas of this level have no shape yet" in page
    legend = response.context["page"].layer.legend
    assert [item["label"] for item in legend] == ["good", "medium", "poor"]
    assert sum(item["count"] for item in legend) == 10


def test_indicator_layer_is_coloured_by_quintile(testville, client):
    response = client.get("/en/cities/testville/monitoring/?layer=indicator:S1&period=2020")
    layer = response.context["page"].layer
    assert layer.kind == "indicator"
    assert [item["count"] for item in layer.legend] == [2, 2, 2, 2, 2]
    # Higher unemployment is worse: the two lowest values are in the first (green) class.
    classes = {row["code"]: row["class_number"] for row in layer.rows}
    assert (classes["A1"], classes["A2"], classes["A9"], classes["A10"]) == (1, 1, 5, 5)
    assert layer.legend[0]["colour"] == "#1a9850"


def test_area_page_shows_values_results_and_a_time_series(testville, client):
    response = client.get("/en/cities/testville/monitoring/areas/A3/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Area 3" in page and "District One" in page
    assert "<polyline" in page  # two periods: a line
    assert "4.5" in page  # S1 in 2021 = 3 × 1.5
    assert "Deprivation" in page and "Status" in page


def test_indicator_page_draws_the_distribution(testville, client):
    response = client.get("/en/cities/testville/monitoring/indicators/S1/?period=2021")
    assert response.status_code == 200
    assert response.context["page"].summary["count"] == 10
    assert "<rect" in response.content.decode()


def test_compare_page_puts_areas_side_by_side(testville, client):
    response = client.get("/en/cities/testville/monitoring/compare/?areas=A1&areas=A4&period=2021")
    assert response.status_code == 200
    comparison = response.context["page"]
    assert [area.code for area in comparison.areas] == ["A1", "A4"]
    assert dict((i.code, v) for i, v in comparison.rows)["S1"] == [1.5, 6.0]
    assert client.get("/en/cities/testville/monitoring/compare/?areas=NOPE").status_code == 404


def _exported(client, what: str) -> list[list[str]]:
    response = client.get(f"/en/cities/testville/monitoring/export/{what}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_exports(testville, client):
    observations = _exported(client, "observations")
    assert observations[0] == ["area", "indicator", "period", "value"]
    assert len(observations) == 1 + 10 * 2 * 2
    results = _exported(client, "results")
    assert results[0][:3] == ["index", "area", "period"]
    assert len(results) == 1 + 2 * 10 * 2
    areas = _exported(client, "areas")
    assert areas[1] == ["A1", "Area 1", "area", "D1"]  # smallest level first
    assert areas[-1] == ["D1", "District One", "district", ""]
    assert [row[0] for row in _exported(client, "indicators")[1:]] == ["S1", "S2"]
    assert client.get("/en/cities/testville/monitoring/export/secrets.csv").status_code == 404


def test_api_reads(testville, client):
    areas = client.get("/api/v1/cities/testville/areas?level=area").json()
    assert areas["count"] == 10
    assert areas["items"][0] == {"code": "A1", "name": "Area 1", "level": "area", "parent": "D1"}
    area = client.get("/api/v1/cities/testville/areas/A1").json()
    assert area["geometry"]["type"] == "Polygon"
    indicators = client.get("/api/v1/cities/testville/indicators").json()
    assert [i["code"] for i in indicators] == ["S1", "S2"]
    observations = client.get(
        "/api/v1/cities/testville/observations?indicator=S1&period=2021&area=A2"
    ).json()
    assert observations["items"] == [
        {"area": "A2", "indicator": "S1", "period": "2021", "value": 3.0}
    ]
    indices = client.get("/api/v1/cities/testville/indices").json()
    imd = next(i for i in indices if i["code"] == "imd")
    assert imd["components"] == [
        {"indicator": "S1", "weight": 0.6},
        {"indicator": "S2", "weight": 0.4},
    ]
    results = client.get("/api/v1/cities/testville/indices/imd/results?period=2021").json()
    assert results["count"] == 10
    assert sorted(r["rank"] for r in results["items"]) == list(range(1, 11))


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/cities/{slug}/monitoring/?layer=index:status",
        "/en/cities/{slug}/monitoring/?layer=indicator:S1",
        "/en/cities/{slug}/monitoring/areas/A3/",
        "/en/cities/{slug}/monitoring/indicators/S1/",
        "/en/cities/{slug}/monitoring/compare/?areas=A1&areas=A2",
    ],
)
def test_page_query_count_does_not_grow_with_areas(client, path):
    build_city(5, "small")
    build_city(60, "large")
    assert _queries(client, path.format(slug="small")) == _queries(
        client, path.format(slug="large")
    )


def test_monitoring_index_lists_cities_with_areas(testville, client):
    from tests.factories import CityFactory

    CityFactory(slug="no-data")
    response = client.get("/en/monitoring/")
    assert response.status_code == 200
    cities = list(response.context["cities"])
    assert [city.slug for city in cities] == ["testville"]
    assert (cities[0].area_count, cities[0].indicator_count, cities[0].index_count) == (11, 2, 2)
    assert 'href="/en/monitoring/"' in response.content.decode()  # the main navigation links here


def test_map_outlines_the_focus_area(testville, client):
    response = client.get("/en/cities/testville/monitoring/?layer=index:status&focus=D1")
    assert response.context["page"].focus.code == "D1"
    assert response.context["page"].focus_feature is None  # the district has no shape
    assert "Focus area: District One" in response.content.decode()
    response = client.get("/en/cities/testville/monitoring/?layer=index:status&focus=A3")
    feature = response.context["page"].focus_feature
    assert feature["properties"] == {"code": "A3", "name": "Area 3"}
    assert 'id="monitoring-focus"' in response.content.decode()


@pytest.mark.django_db
def test_the_api_documents_the_monitoring_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/cities/{slug}/areas",
        "/api/v1/cities/{slug}/indicators",
        "/api/v1/cities/{slug}/observations",
        "/api/v1/cities/{slug}/observations/import",
        "/api/v1/cities/{slug}/indices",
        "/api/v1/cities/{slug}/indices/{code}/results",
    ]:
        assert path in paths


@pytest.mark.django_db
def test_area_page_of_an_area_without_values(client):
    from tests.factories import ObservationFactory

    observation = ObservationFactory(value=7.25)
    area = observation.area
    response = client.get(f"/en/cities/{area.city.slug}/monitoring/areas/{area.code}/")
    assert response.status_code == 200
    assert "7.25" in response.content.decode()
    assert "No index covers this area." in response.content.decode()


@pytest.mark.django_db
def test_a_city_without_areas_says_how_monitoring_starts_instead_of_offering_empty_files(client):
    from tests.factories import CityFactory

    city = CityFactory(slug="palermo", name="Palermo")
    body = client.get(f"/en/cities/{city.slug}/monitoring/").content.decode()
    assert "This city has no monitoring areas yet." in body
    assert "Monitoring starts when the city's coordinator imports" in body
    assert "export/areas.csv" not in body
    assert 'href="/en/monitoring/"' in body
