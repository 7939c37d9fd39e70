"""The monitoring map with 35,000 areas (England's LSOAs are 33,755): the page, and the GeoJSON the map
fetches for the areas in view, against the same page for Berlin's 542 planning areas, where every
shape is embedded in the page (the baseline, measured in the same process).

    .venv/bin/python bench/monitoring_map.py                       # 35,000 areas, 10 repeats
    .venv/bin/python bench/monitoring_map.py --areas 10000 --repeats 5

Each area is a 24-point polygon in a grid cell (about 140 m × 140 m); one indicator with a value
per area and a z-score index over it, computed by the services. Requests go through Django's test
client (middleware, selectors, templates, JSON). Measured: the map page of the large city (no shapes
embedded, the table paginated); the GeoJSON for the whole city in view (too many: none sent, the
count only); the GeoJSON for a view of about 1,000 areas (simplified to the view's scale); and, once,
the page as it was before (every shape embedded) for its size and time. The cities live in their own
SQLite file under var/bench-monitoring-map/ (pass --database-url for PostgreSQL).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CELL = 0.002  # degrees


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(function, repeats: int) -> list[float]:
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def polygon(column: int, row: int) -> dict:
    cx, cy = 13.0 + (column + 0.5) * CELL, 52.3 + (row + 0.5) * CELL
    radius = CELL * 0.45
    ring = [
        [round(cx + radius * math.cos(2 * math.pi * k / 24), 6),
         round(cy + radius * math.sin(2 * math.pi * k / 24), 6)]
        for k in range(24)
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def build_city(slug: str, areas: int):
    from conet.monitoring.models import Indicator
    from conet.monitoring.services import (
        AreaRow,
        IndexDefinition,
        ensure_level,
        save_areas,
        save_index_definition,
        store_observations,
    )
    from conet.networks.models import City

    City.objects.filter(slug=slug).delete()
    city = City.objects.create(
        slug=slug, name=slug.title(), country="GB", latitude=52, longitude=13
    )
    ensure_level(city, "area", "Small area", 0)
    columns = math.ceil(math.sqrt(areas))
    save_areas(
        city,
        [AreaRow(f"E{n:06d}", f"Area {n}", "area", "", polygon(n % columns, n // columns))
         for n in range(areas)],
    )  # fmt: skip
    Indicator.objects.create(city=city, code="U", name="Unemployment", unit="%")
    lines = ["area;U"] + [f"E{n:06d};{(n * 7919) % 1000 / 10}" for n in range(areas)]
    store_observations(city, "\n".join(lines).encode(), period="2021")
    save_index_definition(
        city,
        IndexDefinition(code="status", name="Status", method="zscore", components=[("U", 1)],
                        cutoffs=[-1, 1], class_labels=["good", "medium", "poor"]),
    )  # fmt: skip
    return city, columns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=35_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = ROOT / "var" / "bench-monitoring-map"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    if not args.database_url:
        (data_dir / "conet.sqlite3").unlink(missing_ok=True)  # a fresh file: cities are rebuilt
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ["CONET_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from conet.monitoring import selectors

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_city("bench-small", 542)
    _large, columns = build_city("bench-large", args.areas)
    print(f"built the cities in {time.perf_counter() - started:.0f} s")
    client = Client(HTTP_HOST="localhost")
    query = "?layer=index:status&period=2021&level=area"
    sizes = {}

    def get(name: str, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        sizes[name] = len(response.content)

    def features(name: str, bbox: tuple) -> None:
        get(
            name,
            f"/cities/bench-large/monitoring/map.geojson{query}&bbox=" + ",".join(map(str, bbox)),
        )

    rows = math.ceil(args.areas / columns)
    whole = (13.0, 52.3, 13.0 + columns * CELL, 52.3 + rows * CELL)
    side = 32 * CELL  # about 32 × 32 = 1,024 areas in view
    zoomed = (13.0 + 10 * CELL, 52.3 + 10 * CELL, 13.0 + 10 * CELL + side, 52.3 + 10 * CELL + side)
    results = [
        ("map page, 542 areas, all shapes embedded (baseline)", "small",
         timed(lambda: get("small", f"/cities/bench-small/monitoring/{query}"), args.repeats)),
        (f"map page, {args.areas:,} areas, none embedded, table paginated", "large",
         timed(lambda: get("large", f"/cities/bench-large/monitoring/{query}"), args.repeats)),
        ("GeoJSON, whole city in view (count only)", "whole",
         timed(lambda: features("whole", whole), args.repeats)),
        ("GeoJSON, ~1,000 areas in view (simplified)", "zoomed",
         timed(lambda: features("zoomed", zoomed), args.repeats)),
    ]  # fmt: skip
    selectors.MAP_INLINE_LIMIT = 10**9  # the page as it was: every shape embedded
    results.append(
        (f"before: map page, {args.areas:,} areas, all shapes embedded (once)", "before",
         timed(lambda: get("before", f"/cities/bench-large/monitoring/{query}"), 1))
    )  # fmt: skip

    load = os.getloadavg()
    print(
        f"{platform.node()} · {os.cpu_count()} CPUs · load {load[0]:.1f} {load[1]:.1f} · "
        f"Python {platform.python_version()} · {connection.vendor} · {args.areas:,} areas"
    )
    print(
        "\n| what | runs | median ms | p95 ms | × baseline | response |\n|---|---|---|---|---|---|"
    )
    base = statistics.median(results[0][2])
    for label, name, times in results:
        median = statistics.median(times)
        print(
            f"| {label} | {len(times)} | {median * 1000:.0f} | {p95(times) * 1000:.0f} "
            f"| {median / base:.2f} | {sizes[name] / 1024:,.0f} KiB |"
        )


if __name__ == "__main__":
    main()
