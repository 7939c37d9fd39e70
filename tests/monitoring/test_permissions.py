"""Who may change a city's monitoring data, through the pages and the API: its city coordinator, the
coordinator of a network it is a partner in, and platform admins. Everyone else is refused and the
database is unchanged."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conet.accounts.services import create_api_token
from conet.monitoring.models import (
    Area,
    AreaLevel,
    CompositeIndex,
    IndexResult,
    Indicator,
    Observation,
)
from tests.conftest import ROLES
from tests.factories import AreaFactory, AreaLevelFactory, MonitoringIndicatorFactory
from tests.monitoring.conftest import square

MANAGERS = {"platform_admin", "city_coordinator", "network_coordinator"}
MODELS = [AreaLevel, Area, Indicator, Observation, CompositeIndex, IndexResult]


def rows() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def areas(city):
    level = AreaLevelFactory(city=city)
    for n in range(1, 4):
        AreaFactory(level=level, code=f"A{n}")
    MonitoringIndicatorFactory(city=city, code="S1")
    return city


def _geojson() -> bytes:
    feature = {"type": "Feature", "properties": {"code": "N1"}, "geometry": square(13, 52)}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


WRITES = {
    "import": (
        "monitoring:import",
        lambda: {
            "file": SimpleUploadedFile("v.csv", b"area;S1\nA1;1\nA2;2\n"),
            "period": "2021",
            "decimal": "auto",
        },
        lambda: Observation.objects.count() == 2,
    ),
    "import_areas": (
        "monitoring:import_areas",
        lambda: {
            "file": SimpleUploadedFile("a.geojson", _geojson()),
            "level": "block",
            "code_property": "code",
            "name_property": "name",
        },
        lambda: Area.objects.filter(code="N1").exists(),
    ),
    "import_area_table": (
        "monitoring:import_area_table",
        lambda: {"file": SimpleUploadedFile("a.csv", b"code;name;level;parent\nN1;North;block;\n")},
        lambda: Area.objects.filter(code="N1", geometry__isnull=True).exists(),
    ),
    "indicator_create": (
        "monitoring:indicator_create",
        lambda: {"code": "S9", "name": "New", "higher_is_worse": "on", "language": "en"},
        lambda: Indicator.objects.filter(code="S9").exists(),
    ),
    "index_define": (
        "monitoring:index_define",
        lambda: {
            "code": "idx",
            "name": "Index",
            "method": "zscore",
            "components": "S1",
            "cutoffs": "0",
        },
        lambda: CompositeIndex.objects.filter(code="idx").exists(),
    ),
}


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_write_pages_only_for_the_citys_coordinators_and_admins(
    role, action, people, areas, client_as
):
    name, data, done = WRITES[action]
    client = client_as(people[role])
    url = reverse(name, args=[areas.slug])
    before = rows()
    page = client.get(url)
    response = client.post(url, data())
    if role in MANAGERS:
        assert page.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        assert done()
    elif role == "visitor":
        for answer in (page, response):
            assert answer.status_code == 302
            assert answer.url.startswith(reverse("accounts:login"))
        assert rows() == before
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert rows() == before


def _headers(user) -> dict:
    if user is None:
        return {}
    _token, key = create_api_token(user, name="tests")
    return {"Authorization": f"Bearer {key}"}


API_WRITES = {
    "areas": (
        "/api/v1/cities/partner-city/areas",
        {"areas": [{"code": "N1", "name": "North", "level": "block"}]},
        lambda: Area.objects.filter(code="N1").exists(),
    ),
    "indicator": (
        "/api/v1/cities/partner-city/indicators",
        {"code": "S9", "name": "New"},
        lambda: Indicator.objects.filter(code="S9").exists(),
    ),
    "index": (
        "/api/v1/cities/partner-city/indices",
        {
            "code": "idx",
            "name": "Index",
            "method": "rank_exponential",
            "components": [{"indicator": "S1"}],
        },
        lambda: CompositeIndex.objects.filter(code="idx").exists(),
    ),
}


@pytest.mark.parametrize("action", API_WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_api_writes_only_for_the_citys_coordinators_and_admins(role, action, people, areas, client):
    path, body, done = API_WRITES[action]
    headers = _headers(people[role])
    before = rows()
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        assert done()
    else:
        assert response.status_code == (401 if role == "visitor" else 403)
        assert rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_api_import_only_for_the_citys_coordinators_and_admins(role, people, areas, client):
    headers = _headers(people[role])
    before = rows()
    upload = SimpleUploadedFile("v.csv", b"area,indicator,period,value\nA1,S1,2021,1.5\n")
    response = client.post(
        "/api/v1/cities/partner-city/observations/import", {"file": upload}, headers=headers
    )
    if role in MANAGERS:
        assert response.status_code == 200, response.content
        assert response.json()["observations"] == 1
    else:
        assert response.status_code == (401 if role == "visitor" else 403)
        assert rows() == before


def test_api_import_of_a_broken_file_names_row_and_column(people, areas, client):
    headers = _headers(people["city_coordinator"])
    upload = SimpleUploadedFile("v.csv", b"area;S1\nA1;x\n")
    response = client.post(
        "/api/v1/cities/partner-city/observations/import",
        {"file": upload, "period": "2021"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"row": 2, "column": "S1", "message": "“x” is not a number."}
    ]
    assert Observation.objects.count() == 0


def test_import_page_shows_every_problem_and_stores_nothing(people, areas, client_as):
    client = client_as(people["city_coordinator"])
    before = rows()
    upload = SimpleUploadedFile("v.csv", b"area;S1\nA1;x\nA7;1\n")
    response = client.post(
        reverse("monitoring:import", args=[areas.slug]),
        {"file": upload, "period": "2021", "decimal": "auto"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Row 2, column “S1”: “x” is not a number." in page
    assert "Row 3, column “area”: No area with the code “A7”." in page
    assert rows() == before


def test_index_form_shows_an_unknown_indicator_next_to_the_field(people, areas, client_as):
    client = client_as(people["city_coordinator"])
    response = client.post(
        reverse("monitoring:index_define", args=[areas.slug]),
        {
            "code": "idx",
            "name": "Index",
            "method": "zscore",
            "components": "S1, NOPE",
            "cutoffs": "0",
        },
    )
    assert response.status_code == 422
    assert "No indicator with the code: NOPE." in response.content.decode()
    assert not CompositeIndex.objects.exists()
