import pytest

from conet.monitoring.models import Indicator
from conet.monitoring.services import (
    AreaRow,
    IndexDefinition,
    ensure_level,
    save_areas,
    save_index_definition,
    store_observations,
)
from tests.factories import CityFactory, UserFactory

SQUARE = {"type": "Polygon", "coordinates": [[[13.0, 52.0], [13.1, 52.0], [13.1, 52.1], [13.0, 52.1], [13.0, 52.0]]]}  # fmt: skip


def square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [[[round(a, 6), round(b, 6)] for a, b in ring]]}


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def monitored_city(db):
    """A city with one district and four planning areas A1…A4 (with small square shapes)."""
    city = CityFactory(slug="testville", name="Testville")
    ensure_level(city, "area", "Planning area", 0)
    ensure_level(city, "district", "District", 1)
    save_areas(
        city,
        [AreaRow("D1", "District One", "district")]
        + [
            AreaRow(f"A{n}", f"Area {n}", "area", "D1", square(13.0 + n / 100, 52.5))
            for n in range(1, 5)
        ],
    )
    return city


def build_city(areas: int, slug: str = "testville"):
    """A city with `areas` planning areas A1… in one district (every fifth without a shape), two
    indicators over two periods, a z-score index `status` and a rank–exponential index `imd`."""
    city = CityFactory(slug=slug)
    ensure_level(city, "area", "Planning area", 0)
    ensure_level(city, "district", "District", 1)
    rows = [AreaRow("D1", "District One", "district")]
    rows += [
        AreaRow(f"A{n}", f"Area {n}", "area", "D1", square(13 + n / 100, 52.5) if n % 5 else None)
        for n in range(1, areas + 1)
    ]
    save_areas(city, rows)
    Indicator.objects.create(city=city, code="S1", name="Unemployment", unit="%")
    Indicator.objects.create(city=city, code="S2", name="Income", higher_is_worse=False)
    lines = ["area;period;S1;S2"]
    for n in range(1, areas + 1):
        lines.append(f"A{n};2020;{n};{100 - n}")
        lines.append(f"A{n};2021;{n * 1.5};{100 - n}")
    store_observations(city, "\n".join(lines).encode())
    save_index_definition(
        city,
        IndexDefinition(
            code="status", name="Status", method="zscore", components=[("S1", 1), ("S2", 1)],
            cutoffs=[-1, 1], class_labels=["good", "medium", "poor"],
        ),
    )  # fmt: skip
    save_index_definition(
        city,
        IndexDefinition(
            code="imd", name="Deprivation", method="rank_exponential",
            components=[("S1", 0.6), ("S2", 0.4)],
        ),
    )  # fmt: skip
    return city
