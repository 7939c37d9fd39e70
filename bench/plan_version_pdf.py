"""A visitor downloads the PDF of a launched plan version (30 actions): the first download, when the
PDF is not stored yet and is made at once (as where tasks run in-process), against every later one,
which is the stored file. Baseline, in the same process: the visitor's HTML page of that version.

    .venv/bin/python bench/plan_version_pdf.py                 # 30 actions, 5 first / 20 cached
    .venv/bin/python bench/plan_version_pdf.py --actions 60 --first 3 --cached 50

The whole request goes through Django's test client (middleware, permission check, the query of
the stored file, the response). "First" deletes the stored PDF before each run, so every run renders
it again with WeasyPrint (with a worker, that visitor is told to wait instead, and the worker does
this work). Prints median and p95 (nearest rank) and each median's ratio to the baseline's.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def measure(function, repeats: int, before=None) -> list[float]:
    if before:
        before()
    function()  # warm-up
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=30)
    parser.add_argument("--first", type=int, default=5)
    parser.add_argument("--cached", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = ROOT / "var" / "bench-actionplans"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ["CONET_TASKS_IMMEDIATE"] = "1"
    os.environ["CONET_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    import logging

    for name in ("weasyprint", "fontTools", "huey", "django.request"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from plan_documents import build_plan, p95

    call_command("migrate", verbosity=0)
    from conet.accounts.models import Membership, Role
    from conet.actionplans.models import (
        LocalActionPlan,
        PlanVersion,
        VersionDocument,
        WorkingDocument,
    )
    from conet.actionplans.selectors import snapshot

    plan = build_plan(args.actions)
    plan = LocalActionPlan.objects.select_related("partnership__network", "partnership__city").get(
        pk=plan.pk
    )
    LocalActionPlan.objects.filter(pk=plan.pk).update(status="approved")
    PlanVersion.objects.create(plan=plan, major=1, minor=0, snapshot=snapshot(plan))
    args_ = [plan.partnership.network.slug, plan.partnership.city.slug]
    page_url = reverse("actionplans:plan", args=args_)
    pdf_url = reverse("actionplans:pdf", args=args_)
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    from django.contrib.auth import get_user_model

    coordinator, _ = get_user_model().objects.get_or_create(email="bench-coordinator@example.org")
    Membership.objects.get_or_create(
        user=coordinator, role=Role.CITY_COORDINATOR, city=plan.partnership.city
    )
    editor = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    editor.force_login(coordinator)

    def edit_get(url: str) -> int:
        response = editor.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def get(url: str, status: int = 200) -> int:
        response = client.get(url)
        assert response.status_code == status, response.status_code
        return len(response.content)

    def forget() -> None:
        VersionDocument.objects.all().delete()

    sizes = {"page": get(page_url), "pdf": get(pdf_url)}
    baseline = measure(lambda: get(page_url), args.cached)
    first = measure(lambda: get(pdf_url), args.first, before=forget)
    get(pdf_url)  # stored again
    cached = measure(lambda: get(pdf_url), args.cached)
    working_first = measure(
        lambda: edit_get(pdf_url), args.first, before=lambda: WorkingDocument.objects.all().delete()
    )
    working_kept = measure(lambda: edit_get(pdf_url), args.cached)
    sizes["working"] = edit_get(pdf_url)

    load = os.getloadavg()
    print(
        f"{platform.node()} · {os.cpu_count()} CPUs · load {load[0]:.1f} {load[1]:.1f} · "
        f"Python {platform.python_version()} · {connection.vendor} · {args.actions} actions"
    )
    print("\n| what | runs | median ms | p95 ms | × baseline | size |\n|---|---|---|---|---|---|")
    base = statistics.median(baseline)
    for label, times, size in (
        ("visitor's HTML page of version 1.0 (baseline)", baseline, sizes["page"]),
        ("PDF of version 1.0, first download (rendered)", first, sizes["pdf"]),
        ("PDF of version 1.0, later downloads (stored)", cached, sizes["pdf"]),
        (
            "working plan's PDF (coordinator), first download (rendered)",
            working_first,
            sizes["working"],
        ),
        ("working plan's PDF (coordinator), unchanged plan (kept)", working_kept, sizes["working"]),
    ):
        median = statistics.median(times)
        print(
            f"| {label} | {len(times)} | {median * 1000:.1f} | {p95(times) * 1000:.1f} "
            f"| {median / base:.2f} | {size / 1024:.0f} KiB |"
        )


if __name__ == "__main__":
    main()
