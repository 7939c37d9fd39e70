"""How fast the meeting pages, the calendar feeds and contended registrations are.

    .venv/bin/python bench/meetings_pages.py [--runs 50]

Builds a throw-away SQLite database (a temporary CONET_DATA_DIR, the same settings as `conet serve`:
WAL, IMMEDIATE transactions), then measures, each next to a baseline timed in the same process:

- the meeting page with 5 and with 100 agenda items (a document each) and 200 registrants, seen by
  the organiser (who gets the registrants' table) — baseline: the empty notification page, a page
  with the same layout and session work but no meeting data;
- the same page seen by a visitor (no registrants' table);
- the network calendar and the network's iCal feed with 200 meetings (the feed is cached until a
  meeting in it changes: the figure is a poll that finds it unchanged, the first build is printed too);
- 8 threads registering 40 people at once for a meeting with 20 seats: per registration latency
  (median, p95) against the same 40 registrations made one after the other, and the check that
  exactly 20 were registered and 20 waitlisted.
Prints markdown and writes bench/results/meetings_pages-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CONET_DATA_DIR"] = tempfile.mkdtemp(prefix="conet-bench-meetings-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
os.environ["CONET_EMBEDDINGS"] = "none"
os.environ["CONET_TASKS_IMMEDIATE"] = "1"
os.environ["EMAIL_URL"] = "locmem://"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["CONET_SSL_REDIRECT"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from conet.accounts.models import Membership, Role, User  # noqa: E402
from conet.meetings import services  # noqa: E402
from conet.meetings.models import AgendaItem, Meeting, MeetingDocument, Registration  # noqa: E402
from conet.networks.models import City, Network, Partnership  # noqa: E402


def _timed(function, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
    }


def _meeting(network, city, title, items: int, people: list) -> Meeting:
    start = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    meeting = Meeting.objects.create(
        network=network, host_city=city, kind="thematic", title=title, starts_at=start,
        ends_at=start + timedelta(hours=30), time_zone="Europe/Berlin", capacity=500,
    )  # fmt: skip
    for i in range(items):
        item = AgendaItem.objects.create(
            meeting=meeting, starts_at=start + timedelta(minutes=15 * i), title=f"Item {i}",
            speakers="Speaker", description="A short description of the item.",
        )  # fmt: skip
        MeetingDocument.objects.create(
            meeting=meeting, agenda_item=item, title=f"Slides {i}", file="x.pdf",
            content_type="application/pdf", size=1000,
        )  # fmt: skip
    Registration.objects.bulk_create(
        Registration(meeting=meeting, user=person, status="registered") for person in people
    )
    return meeting


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    network = Network.objects.create(name="Bench", slug="bench")
    city = City.objects.create(
        name="Sofia", slug="sofia", country="BG", latitude="42.7", longitude="23.3"
    )
    Partnership.objects.create(network=network, city=city)
    coordinator = User.objects.create_user("coordinator@bench.example", "x", name="Coordinator")
    Membership.objects.create(user=coordinator, role=Role.NETWORK_COORDINATOR, network=network)
    people = User.objects.bulk_create(
        User(email=f"person{i}@bench.example", name=f"Person {i}") for i in range(240)
    )
    small = _meeting(network, city, "Small", 5, people[:200])
    large = _meeting(network, city, "Large", 100, people[:200])
    for i in range(198):
        _meeting(network, city, f"Meeting {i}", 0, [])

    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
        },
        "pages": {},
    }

    visitor = Client()

    def get(url, as_visitor=False):
        def call():
            response = (visitor if as_visitor else client).get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    pages = {
        "baseline: notification page (empty)": "/notifications/",
        "meeting page, 5 items, 200 registrants": f"/meetings/{small.pk}/",
        "meeting page, 100 items, 200 registrants": f"/meetings/{large.pk}/",
        "network calendar (200 meetings, page of 20)": "/networks/bench/meetings/",
        "network iCal feed (200 meetings), unchanged since the last poll": "/networks/bench/meetings.ics",
        "one meeting's iCal file": f"/meetings/{large.pk}/meeting.ics",
    }
    for name, url in pages.items():
        get(url)()
        results["pages"][name] = _timed(get(url), args.runs)
    visitor_page = "meeting page, 100 items, seen by a visitor"
    get(f"/meetings/{large.pk}/", as_visitor=True)()
    results["pages"][visitor_page] = _timed(
        get(f"/meetings/{large.pk}/", as_visitor=True), args.runs
    )
    from django.core.cache import cache

    def build_feed():
        cache.clear()
        get("/networks/bench/meetings.ics")()

    results["pages"]["network iCal feed (200 meetings), built afresh"] = _timed(
        build_feed, max(5, args.runs // 4)
    )
    base = results["pages"]["baseline: notification page (empty)"]["median_ms"]
    for timing in results["pages"].values():
        timing["ratio"] = round(timing["median_ms"] / base, 2)

    # Registrations: 40 people, 20 seats — one after the other, then 8 threads at once.
    def contended(threads: int) -> dict:
        meeting = _meeting(network, city, f"Seats {threads}", 0, [])
        meeting.capacity = 20
        meeting.save()
        queue = list(people[200:240])
        lock = threading.Lock()
        latencies: list[float] = []

        def worker():
            while True:
                with lock:
                    if not queue:
                        break
                    person = queue.pop()
                start = time.perf_counter()
                services.register(meeting, user=person)
                latencies.append((time.perf_counter() - start) * 1000)
            connection.close()

        workers = [threading.Thread(target=worker) for _ in range(threads)]
        started = time.perf_counter()
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        wall = time.perf_counter() - started
        latencies.sort()
        statuses = Registration.objects.filter(meeting=meeting)
        return {
            "registrations": len(latencies),
            "median_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
            "wall_s": round(wall, 2),
            "registered": statuses.filter(status="registered").count(),
            "waitlisted": statuses.filter(status="waitlisted").count(),
        }

    results["registrations"] = {"1 thread (baseline)": contended(1), "8 threads": contended(8)}
    base = results["registrations"]["1 thread (baseline)"]["median_ms"]
    for timing in results["registrations"].values():
        timing["ratio"] = round(timing["median_ms"] / base, 2)

    print(f"machine: {results['machine']}\n")
    print("| page | median | p95 | ÷ baseline |\n|---|---:|---:|---:|")
    for name, t in results["pages"].items():
        print(f"| {name} | {t['median_ms']} ms | {t['p95_ms']} ms | {t['ratio']}× |")
    print(
        "\n| registrations (40 people, 20 seats) | median | p95 | wall | registered / waitlisted | ÷ baseline |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, t in results["registrations"].items():
        print(
            f"| {name} | {t['median_ms']} ms | {t['p95_ms']} ms | {t['wall_s']} s | "
            f"{t['registered']} / {t['waitlisted']} | {t['ratio']}× |"
        )
    out = ROOT / "bench" / "results" / f"meetings_pages-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
