import pytest

from conet.monitoring.services import AreaRow, ensure_level, save_areas
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
