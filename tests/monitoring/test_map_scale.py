"""A map of very many areas (35,000 in England's LSOAs): past MAP_INLINE_LIMIT the page embeds no
shapes; the map asks for the areas in view, simplified to the view's scale, at most
MAP_FEATURE_LIMIT of them, and the table of areas is paginated."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conet.monitoring import selectors
from conet.monitoring.models import Area, geometry_bounds
from tests.monitoring.conftest import build_city, square

FEATURES = reverse("monitoring_machine:features", args=["bigville"])
LAYER = {"layer": "index:status", "period": "2021", "level": "area"}


@pytest.fixture
def bigville(db, monkeypatch):
    """Sixty areas (every fifth without a shape), treated as "very many"."""
    monkeypatch.setattr(selectors, "MAP_INLINE_LIMIT", 10)
    monkeypatch.setattr(selectors, "TABLE_PAGE_SIZE", 25)
    return build_city(60, slug="bigville")


def test_areas_know_their_bounding_box():
    assert geometry_bounds(square(13.0, 52.5, 0.01)) == (13.0, 52.5, 13.01, 52.51)
    multi = {"type": "MultiPolygon", "coordinates": [square(1, 2)["coordinates"],
                                                      square(5, -3)["coordinates"]]}  # fmt: skip
    assert geometry_bounds(multi) == (1, -3, 5.01, 2.01)
    assert geometry_bounds(None) is None


def test_saved_areas_carry_their_bounds(bigville):
    area = Area.objects.get(city=bigville, code="A3")
    assert (area.west, area.south, area.east, area.north) == pytest.approx(
        (13.03, 52.5, 13.04, 52.51)
    )
    assert Area.objects.get(city=bigville, code="A5").west is None  # no shape


def test_past_the_limit_the_page_embeds_no_shapes_and_points_the_map_at_the_areas_in_view(
    bigville, client
):
    response = client.get("/en/cities/bigville/monitoring/", LAYER)
    html = response.content.decode()
    page = response.context["page"]
    assert page.tiled and page.features == []
    assert 'id="monitoring-features"' not in html
    assert (
        'data-features-url="'
        + FEATURES
        + "?layer=index%3Astatus&amp;period=2021&amp;level=area&amp;language=en"
        in html
    )
    assert page.bounds == pytest.approx((13.01, 52.5, 13.6, 52.51))
    assert "12 areas of this level have no shape yet" in html


def test_the_table_of_areas_is_paginated(bigville, client):
    response = client.get("/en/cities/bigville/monitoring/", LAYER)
    assert len(response.context["table"]) == 25
    assert "Page 1 of 3 (areas 1–25)" in response.content.decode()
    last = client.get("/en/cities/bigville/monitoring/", {**LAYER, "page": "3"})
    rows = list(last.context["table"])
    assert len(rows) == 10 and rows[-1]["code"] == "A9"  # codes sort as text
    assert "page=2" in last.content.decode() and 'rel="next"' not in last.content.decode()


def test_the_map_gets_only_the_areas_in_view_with_their_values(bigville, client):
    response = client.get(FEATURES, {**LAYER, "bbox": "13.105,52.5,13.135,52.51"})
    collection = response.json()
    assert response.status_code == 200 and collection["truncated"] is False
    # Squares 10 to 13 meet the box; 10 has no shape.
    codes = sorted(f["properties"]["code"] for f in collection["features"])
    assert codes == ["A11", "A12", "A13"]
    feature = collection["features"][0]
    assert set(feature["properties"]) >= {"name", "value", "class_label", "colour", "url"}
    assert feature["geometry"]["type"] == "Polygon"


def test_too_many_areas_in_view_send_none_and_say_how_many(bigville, client, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_FEATURE_LIMIT", 5)
    collection = client.get(FEATURES, {**LAYER, "bbox": "12,52,14,53"}).json()
    assert collection == {"type": "FeatureCollection", "features": [], "in_view": 48,
                          "truncated": True}  # fmt: skip


@pytest.mark.parametrize("bbox", ["", "13,52", "a,b,c,d", "14,52,13,53"])
def test_a_bad_box_is_refused_by_name(bbox, bigville, client):
    response = client.get(FEATURES, {**LAYER, "bbox": bbox})
    assert response.status_code == 422 and "bbox" in response.json()["errors"]


def test_the_areas_in_view_cost_the_same_queries_for_few_and_many_areas(
    db, django_assert_max_num_queries
):
    small, large = build_city(20, slug="small"), build_city(120, slug="large")
    for city in (small, large):
        with django_assert_max_num_queries(14):
            found = selectors.features_in_view(
                city, layer="index:status", period="2021", level="area", bbox=(0, 0, 90, 90)
            )
        assert len(found.features) == {"small": 16, "large": 96}[city.slug]


def test_a_wide_view_simplifies_the_outlines_and_keeps_every_area():
    circle = [[13 + 0.001 * x, 52 + 0.001 * y] for x, y in
              [(0, 0), (1, 0), (2, 1), (2, 2), (1, 3), (0, 3), (-1, 2), (-1, 1), (0, 0)]]  # fmt: skip
    polygon = {"type": "Polygon", "coordinates": [circle]}
    assert selectors.simplify(polygon, 1e-7)["coordinates"][0] == [
        [round(x, 6), round(y, 6)] for x, y in circle
    ]
    coarse = selectors.simplify(polygon, 0.0015)["coordinates"][0]
    assert 4 <= len(coarse) < len(circle)
    tiny = selectors.simplify(polygon, 1.0)["coordinates"][0]  # smaller than a pixel: its box
    assert tiny == [[12.999, 52.0], [13.002, 52.0], [13.002, 52.003], [12.999, 52.003],
                    [12.999, 52.0]]  # fmt: skip
    json.dumps(tiny)


def test_past_the_limit_the_legend_still_counts_every_area_but_only_a_page_is_read(
    bigville, client
):
    response = client.get("/en/cities/bigville/monitoring/", LAYER)
    page = response.context["page"]
    assert len(page.layer.rows) == 25  # the table's page, not the sixty areas
    assert sum(item["count"] for item in page.layer.legend) == 60
    indicator = client.get("/en/cities/bigville/monitoring/", {**LAYER, "layer": "indicator:S1"})
    legend = indicator.context["page"].layer.legend
    assert [item["count"] for item in legend] == [12, 12, 12, 12, 12]


def test_the_map_page_of_very_many_areas_costs_the_same_queries_for_more_areas(
    db, client, monkeypatch
):
    monkeypatch.setattr(selectors, "MAP_INLINE_LIMIT", 10)
    build_city(30, slug="thirty")
    build_city(150, slug="many")
    counts = []
    for slug in ("thirty", "many"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en/cities/{slug}/monitoring/", LAYER).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_maps_data_has_no_language_prefix_and_links_the_areas_in_the_pages_language(
    bigville, client
):
    response = client.get(FEATURES, {**LAYER, "bbox": "12,52,14,53", "language": "de"})
    assert response.status_code == 200
    urls = [
        f["properties"]["url"] for f in response.json()["features"] if f["properties"].get("url")
    ]
    assert urls and all(url.startswith("/de/cities/") for url in urls)
