"""Composite indices over 35,000 areas: each method's computation, and the whole recomputation with the
database, each against a baseline measured in the same process.

    .venv/bin/python bench/monitoring_indices.py                 # 35,000 areas, 30 repeats
    .venv/bin/python bench/monitoring_indices.py --areas 5000 --repeats 10 --skip-database

1. The methods alone (conet/monitoring/methods.py) on a seeded random matrix: the z-score sum with three
   components (Berlin's status index) and the rank–exponential index with seven weighted domains
   (England's IMD; values rounded so that many areas tie). Baseline: one `numpy.sort` of a column of the
   same length, the least any ranking has to do.
2. With the database (unless --skip-database): a city with that many areas, seven indicators and their
   observations for one period in its own SQLite file under var/bench-monitoring/ (DATABASE_URL from the
   environment is ignored; pass --database-url for PostgreSQL), then `services.recompute_index` for each
   index — read the observations, compute, replace the stored results — in a transaction that is rolled
   back after each run. Baseline: reading the IMD's observations with the query the recomputation runs,
   through the cursor as it does, without computing or writing.

Prints median and p95 (nearest rank) of the wall-clock time of each, the ratio of each median to its
baseline's median, and the median CPU time of this process (which includes SQLite's work, not
PostgreSQL's): on a busy machine the CPU time is the steadier figure.
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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMD_WEIGHTS = [0.225, 0.225, 0.135, 0.135, 0.093, 0.093, 0.093]


class Times(list):
    """Wall-clock seconds of each run, with the process's CPU seconds of each run in `.cpu`."""

    cpu: list[float]


def timed(function, repeats: int) -> Times:
    function()  # warm-up
    times = Times()
    times.cpu = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        times.cpu.append(time.process_time() - start_cpu)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def row(label: str, times: Times, baseline: Times | None) -> str:
    median = statistics.median(times)
    ratio = f"{median / statistics.median(baseline):.1f}" if baseline else "1.0"
    cpu = statistics.median(times.cpu) * 1000
    return (
        f"| {label} | {len(times)} | {median * 1000:.1f} | {p95(times) * 1000:.1f} | {ratio} "
        f"| {cpu:.1f} |"
    )


def methods_alone(areas: int, repeats: int) -> list[str]:
    from conet.monitoring import methods

    rng = np.random.default_rng(2021)
    status = rng.normal(size=(areas, 3))
    domains = np.round(rng.gamma(2.0, 10.0, size=(areas, 7)), 1)  # one decimal: many ties
    signs3, signs7 = np.ones(3), np.array([1, 1, 1, 1, 1, 1, -1.0])
    baseline = timed(lambda: np.sort(status[:, 0]), repeats)
    zscore = timed(
        lambda: methods.zscore_index(
            status, weights=np.ones(3), signs=signs3, cutoffs=[-1.0, 1.0, 1.5]
        ),
        repeats,
    )
    rank = timed(
        lambda: methods.rank_exponential_index(
            domains, weights=np.array(IMD_WEIGHTS), signs=signs7
        ),
        repeats,
    )
    return [
        row(f"baseline: numpy.sort of {areas:,} values", baseline, None),
        row(f"z-score sum, {areas:,} areas × 3 indicators", zscore, baseline),
        row(f"rank–exponential, {areas:,} areas × 7 domains", rank, baseline),
    ]


def with_database(areas: int, repeats: int, database_url: str) -> list[str]:
    data_dir = ROOT / "var" / "bench-monitoring"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from conet.monitoring import services
    from conet.monitoring.models import Area, CompositeIndex, Indicator, Observation
    from conet.networks.models import City

    call_command("migrate", verbosity=0)
    city, _ = City.objects.get_or_create(
        slug="bench-monitoring",
        defaults={"name": "Bench City", "country": "DE", "latitude": 52.5, "longitude": 13.4},
    )
    if Area.objects.filter(city=city).count() != areas:
        print(f"Generating {areas:,} areas with 10 indicators … ", end="", flush=True)
        start = time.perf_counter()
        with transaction.atomic():
            Area.objects.filter(city=city).delete()
            Indicator.objects.filter(city=city).delete()
            CompositeIndex.objects.filter(city=city).delete()
            services.ensure_level(city, "area", "Area")
            services.save_areas(
                city, [services.AreaRow(f"A{n:06d}", f"Area {n}", "area") for n in range(areas)]
            )
            codes = ["EW", "S1", "S3", "S4"] + [f"IMD{n}" for n in range(1, 8)]
            indicators = {
                code: Indicator.objects.create(city=city, code=code, name=code) for code in codes
            }
            area_ids = list(Area.objects.filter(city=city).values_list("pk", flat=True))
            rng = np.random.default_rng(2021)
            rows = []
            for code, indicator in indicators.items():
                values = (
                    rng.integers(100, 20000, size=areas)
                    if code == "EW"
                    else np.round(rng.gamma(2.0, 10.0, size=areas), 1)
                )
                rows += [
                    Observation(indicator=indicator, area_id=area_id, period="2021", value=float(v))
                    for area_id, v in zip(area_ids, values, strict=True)
                ]
            Observation.objects.bulk_create(rows, batch_size=5000)
            for definition in [
                services.IndexDefinition(
                    code="status",
                    name="Status",
                    method="zscore",
                    components=[("S1", 1), ("S3", 1), ("S4", 1)],
                    cutoffs=[-1, 1, 1.5],
                    population_indicator="EW",
                    population_threshold=300,
                ),
                services.IndexDefinition(
                    code="imd",
                    name="IMD",
                    method="rank_exponential",
                    components=[(f"IMD{n}", w) for n, w in enumerate(IMD_WEIGHTS, start=1)],
                ),
            ]:
                services.save_index_definition(city, definition)
        print(f"{time.perf_counter() - start:.1f} s")

    status = CompositeIndex.objects.get(city=city, code="status")
    imd = CompositeIndex.objects.get(city=city, code="imd")

    def read(index):
        """The query recompute_index runs, through the cursor as it does, and nothing else."""
        ids = [c.indicator_id for c in index.components.all()]
        query = Observation.objects.filter(indicator_id__in=ids, period__in=["2021"]).values_list(
            "indicator_id", "area_id", "period", "value"
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def recompute(index):
        def run():
            with transaction.atomic():
                services.recompute_index(index, ["2021"])
                transaction.set_rollback(True)

        return run

    baseline_status = timed(lambda: read(imd), repeats)
    results = [
        row(f"baseline: read the {areas * 7:,} IMD observations", baseline_status, None),
        row(f"recompute z-score index, {areas:,} areas (read 4 × {areas:,}, write {areas:,})",
            timed(recompute(status), repeats), baseline_status),
        row(f"recompute rank–exponential index, {areas:,} areas (read 7 × {areas:,}, write {areas:,})",
            timed(recompute(imd), repeats), baseline_status),
    ]  # fmt: skip
    results.append(
        f"\nDatabase: {connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=35_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--database-repeats", type=int, default=7)
    parser.add_argument("--skip-database", action="store_true")
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    print(
        f"Python {platform.python_version()} · numpy {np.__version__} · {platform.machine()} · "
        f"{os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.1f}"
    )
    header = (
        "| what | runs | median ms | p95 ms | median ÷ baseline | CPU ms (median, this process) |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    print("\nThe methods alone\n")
    print(header)
    print("\n".join(methods_alone(options.areas, options.repeats)))
    if not options.skip_database:
        print("\nWith the database\n")
        lines = with_database(options.areas, options.database_repeats, options.database_url)
        print(header)
        print("\n".join(lines))
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
