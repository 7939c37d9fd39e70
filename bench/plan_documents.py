"""PDF (WeasyPrint) and DOCX (python-docx) of a Local Action Plan with 30 actions, each against a
baseline measured in the same process.

    .venv/bin/python bench/plan_documents.py                  # 30 actions, 10 repeats
    .venv/bin/python bench/plan_documents.py --actions 60 --repeats 5

The plan lives in its own SQLite file under var/bench-actionplans/ (DATABASE_URL from the environment
is ignored; pass --database-url for PostgreSQL): six written sections, a problem tree of nine nodes,
three objectives with two indicators each, and the actions with partners, objectives and core tasks.
Each run reads the plan afresh (`selectors.plan_page`) and renders the document, as the download
view does. Baseline: reading the plan and rendering its HTML (`documents.plan_html`), which both
the PDF and the page need; the PDF ratio is therefore the cost of layout and PDF writing on top.

Prints median and p95 (nearest rank) of each, and the ratio of each median to the baseline's median.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOREM = (
    "The neighbourhood lies in the historic centre, between the market and the station. "
    "Its population is young, many households live on low incomes, and the school drop-out "
    "rate is twice the city's average. "
)


def timed(function, repeats: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def row(label: str, times: list[float], baseline: list[float] | None, size: int | None) -> str:
    median = statistics.median(times)
    ratio = f"{median / statistics.median(baseline):.1f}" if baseline else "1.0"
    size_text = f"{size / 1024:.0f} KiB" if size else "—"
    return (
        f"| {label} | {len(times)} | {median * 1000:.0f} | {p95(times) * 1000:.0f} | {ratio} "
        f"| {size_text} |"
    )


def build_plan(actions: int):
    from conet.actionplans.models import (
        Action,
        Indicator,
        LocalActionPlan,
        Objective,
        PlanSection,
        ProblemNode,
    )
    from conet.localgroups.models import LocalSupportGroup, Stakeholder
    from conet.networks.models import City, Network, Partnership
    from conet.networks.services import set_default_core_tasks

    Network.objects.filter(slug="bench-plans").delete()
    network = Network.objects.create(name="Bench network", slug="bench-plans")
    set_default_core_tasks(network)
    city, _ = City.objects.get_or_create(
        slug="bench-city",
        defaults={"name": "Bench City", "country": "IT", "latitude": 38.1, "longitude": 13.36},
    )
    partnership = Partnership.objects.create(network=network, city=city)
    plan = LocalActionPlan.objects.create(partnership=partnership, title="Bench plan")
    for kind in PlanSection.Kind.values:
        PlanSection.objects.create(plan=plan, kind=kind, text=(LOREM * 6 + "\n\n") * 3)
    core = ProblemNode.objects.create(plan=plan, kind="core", statement="Early school leaving")
    nodes = [core]
    for n in range(4):
        nodes.append(
            ProblemNode.objects.create(
                plan=plan,
                kind="cause",
                parent=core,
                statement=f"Cause {n}",
                objective=f"Objective for cause {n}",
                position=n,
            )
        )
        nodes.append(
            ProblemNode.objects.create(
                plan=plan, kind="effect", parent=core, statement=f"Effect {n}", position=n
            )
        )
    objectives = []
    for n in range(1, 4):
        objective = Objective.objects.create(plan=plan, number=n, title=f"Objective {n}")
        for kind in ("result", "output"):
            Indicator.objects.create(
                objective=objective, kind=kind, definition=f"{kind} indicator {n}", unit="people",
                baseline=Decimal(10), target=Decimal(50), source="City survey", frequency="yearly",
            )  # fmt: skip
        objectives.append(objective)
    group = LocalSupportGroup.objects.create(partnership=partnership)
    stakeholders = [
        Stakeholder.objects.create(
            group=group, name=f"Stakeholder {n}", sector="civic", kind="primary"
        )
        for n in range(8)
    ]
    tasks = list(network.core_tasks.all())
    start = date(2026, 1, 1)
    for n in range(1, actions + 1):
        action = Action.objects.create(
            plan=plan, number=n, title=f"Action number {n}", description=LOREM, lead="City council",
            start_date=start + timedelta(days=20 * n), end_date=start + timedelta(days=20 * n + 180),
            cost=Decimal(1000 * n), funding_source=["ERDF", "ESF", "City"][n % 3],
            risks="Funding may arrive late.", progress=(n * 7) % 100,
        )  # fmt: skip
        action.partners.set(stakeholders[n % 8 : n % 8 + 2])
        action.objectives.set([objectives[n % 3]])
        action.core_tasks.set([tasks[n % len(tasks)]])
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = ROOT / "var" / "bench-actionplans"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from conet.actionplans import documents, selectors

    plan = build_plan(args.actions)

    def page():
        from conet.actionplans.models import LocalActionPlan

        fresh = LocalActionPlan.objects.select_related(
            "partnership__network", "partnership__city"
        ).get(pk=plan.pk)
        return selectors.plan_page(fresh)

    sizes = {
        "pdf": len(documents.plan_pdf(page())),
        "docx": len(documents.plan_docx(page())),
        "html": len(documents.plan_html(page()).encode()),
    }
    baseline = timed(lambda: documents.plan_html(page()), args.repeats)
    pdf = timed(lambda: documents.plan_pdf(page()), args.repeats)
    docx = timed(lambda: documents.plan_docx(page()), args.repeats)

    import weasyprint

    print(
        f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"WeasyPrint {weasyprint.__version__} · {connection.vendor} · {args.actions} actions"
    )
    print("\n| what | runs | median ms | p95 ms | × baseline | size |\n|---|---|---|---|---|---|")
    print(row("read the plan + render its HTML (baseline)", baseline, None, sizes["html"]))
    print(row("PDF (WeasyPrint)", pdf, baseline, sizes["pdf"]))
    print(row("DOCX (python-docx)", docx, baseline, sizes["docx"]))


if __name__ == "__main__":
    main()
