"""Importing England's scale of indicator values: 32,844 areas × 7 indicators = 229,908 values in one
wide CSV file, through the same service as the upload page and `conet monitoring_import`.

    .venv/bin/python bench/monitoring_import.py                  # 32,844 areas, 5 repeats, SQLite
    .venv/bin/python bench/monitoring_import.py --areas 5000 --repeats 3
    .venv/bin/python bench/monitoring_import.py --database-url postgres://postgres@127.0.0.1:5432/conet_bench

A city with that many areas, seven indicators and a rank–exponential index over them (IMD 2019's
weights) in its own database (SQLite file under var/bench-monitoring-import/, or --database-url).
Each run imports the file into an empty period in a transaction that is rolled back afterwards, so
every run does the same work: read and check every cell, store the values, recompute the index.
The phases are timed from the service's own progress reports (what the command line's bar shows).
Baseline, in the same process: reading the same file with Python's csv module and turning every
cell into a float — the least any import of it has to do.

Prints the median and p95 (nearest rank) of the wall-clock time of each, the ratio of each median to
the baseline's median, the median CPU time of this process (which includes SQLite's work, not
PostgreSQL's) and the load average: on a busy machine CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import csv
import io
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
CODES = [f"D{n}" for n in range(1, 8)]


class Rolled(Exception):
    """Raised to roll the import back after timing it."""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def wide_csv(areas: int) -> bytes:
    rng = np.random.default_rng(2019)
    values = np.round(rng.gamma(2.0, 10.0, size=(areas, len(CODES))), 3)
    lines = ["area;" + ";".join(CODES)]
    lines += [
        f"E{n:08d};" + ";".join(f"{v:.3f}".replace(".", ",") for v in values[n])
        for n in range(areas)
    ]
    return ("\n".join(lines) + "\n").encode()


def setup(areas: int, database_url: str):
    data_dir = ROOT / "var" / "bench-monitoring-import"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "conet.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from conet.monitoring import services
    from conet.monitoring.models import Area, CompositeIndex, Indicator
    from conet.networks.models import City

    call_command("migrate", verbosity=0)
    city, _ = City.objects.get_or_create(
        slug="bench-import",
        defaults={"name": "Bench England", "country": "GB", "latitude": 52.5, "longitude": -1.5},
    )
    if Area.objects.filter(city=city).count() != areas:
        with transaction.atomic():
            Area.objects.filter(city=city).delete()
            Indicator.objects.filter(city=city).delete()
            CompositeIndex.objects.filter(city=city).delete()
            services.ensure_level(city, "lsoa", "LSOA")
            services.save_areas(
                city, [services.AreaRow(f"E{n:08d}", f"LSOA {n}", "lsoa") for n in range(areas)]
            )
            for code in CODES:
                Indicator.objects.create(city=city, code=code, name=code)
            services.save_index_definition(
                city,
                services.IndexDefinition(
                    code="imd",
                    name="IMD",
                    method="rank_exponential",
                    components=list(zip(CODES, IMD_WEIGHTS, strict=True)),
                ),
            )
    return city


def import_once(city, data: bytes) -> tuple[float, float, dict[str, float], int]:
    from django.db import transaction

    from conet.monitoring.services import store_observations

    marks: dict[str, float] = {}
    start, start_cpu = time.perf_counter(), time.process_time()

    def progress(step: str, done: int, total: int) -> None:
        marks[step] = time.perf_counter() - start  # the last report of each step: when it ended

    count = 0
    try:
        with transaction.atomic():
            summary = store_observations(city, data, period="2019", progress=progress)
            count = summary.observations
            raise Rolled
    except Rolled:
        pass
    return time.perf_counter() - start, time.process_time() - start_cpu, marks, count


def baseline_once(data: bytes) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";")
    next(reader)
    for cells in reader:
        [float(cell.replace(",", ".")) for cell in cells[1:]]
    return time.perf_counter() - start, time.process_time() - start_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=32_844)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    city = setup(options.areas, options.database_url)
    data = wide_csv(options.areas)
    base_wall, base_cpu, wall, cpu, phases = [], [], [], [], []
    import_once(city, data)  # warm-up
    for _ in range(options.repeats):
        w, c = baseline_once(data)
        base_wall.append(w)
        base_cpu.append(c)
        w, c, marks, count = import_once(city, data)
        wall.append(w)
        cpu.append(c)
        phases.append(marks)
    assert count == options.areas * len(CODES), count

    from django.db import connection

    print(f"{options.areas:,} areas × {len(CODES)} indicators = {count:,} values, "
          f"{len(data) / 1e6:.1f} MB; {connection.vendor}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| what | runs | median s | p95 s | ratio to baseline | median CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    base = statistics.median(base_wall)
    for label, times, cpus in [
        ("baseline: csv module + float() of every cell", base_wall, base_cpu),
        ("import (check, store, recompute IMD)", wall, cpu),
    ]:
        median = statistics.median(times)
        print(f"| {label} | {len(times)} | {median:.2f} | {p95(times):.2f} | "
              f"{median / base:.1f} | {statistics.median(cpus):.2f} |")  # fmt: skip
    steps = ["check", "store", "indices"]
    ends = {step: statistics.median(m.get(step, 0.0) for m in phases) for step in steps}
    print("phases (median s): " + ", ".join(
        f"{step} {ends[step] - (ends[steps[i - 1]] if i else 0):.2f}" for i, step in enumerate(steps)
    ))  # fmt: skip


if __name__ == "__main__":
    main()
