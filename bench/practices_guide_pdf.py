"""Time to render CoNet's Guide to Social Cohesion as a PDF (7 chapters, 35 practices, 6 excerpts).

    .venv/bin/python bench/practices_guide_pdf.py            # 5 renders, 20 cached downloads

"Render" makes the PDF from the guide's HTML with WeasyPrint (what publishing does in the background,
and what the first reader of a new guide version would wait for where tasks run in-process);
"cached" is a download of the stored PDF of that version through Django's test client; the
baseline, in the same process, is the guide's contents page (HTML). Prints median and p95.
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


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(function, repeats: int, before=None) -> list[float]:
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
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--cached", type=int, default=20)
    args = parser.parse_args()
    data_dir = ROOT / "var" / "bench-practices"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONET_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'conet.sqlite3'}"
    os.environ["CONET_TASKS_IMMEDIATE"] = "1"
    os.environ["CONET_SSL_REDIRECT"] = "0"
    os.environ["CONET_EMBEDDINGS"] = "none"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conet.settings")
    import django

    django.setup()
    import logging

    for name in ("weasyprint", "fontTools", "huey"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from conet.networks.demo import load_demo
    from conet.practices import documents
    from conet.practices.demo import load_practices_demo
    from conet.practices.models import Guide

    load_demo()
    load_practices_demo()
    guide = Guide.objects.select_related("network").get(network__slug="conet")
    client = Client(HTTP_HOST="localhost")
    url = guide.get_absolute_url()

    def forget():
        documents.guide_pdf_path(guide, "en").unlink(missing_ok=True)

    render = measure(lambda: documents.guide_pdf(guide, "en"), args.renders, before=forget)
    documents.guide_pdf(guide, "en")
    cached = measure(lambda: client.get(url + "guide.pdf"), args.cached)
    page = measure(lambda: client.get(url), args.cached)
    pages = len(__import__("pypdf").PdfReader(documents.guide_pdf_path(guide, "en")).pages)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}; PDF of {pages} pages")  # fmt: skip
    base = statistics.median(page)
    for name, times in (("render PDF", render), ("cached PDF", cached), ("contents page", page)):
        median = statistics.median(times)
        print(f"{name:14} n={len(times):3} median {median * 1000:8.1f} ms  p95 "
              f"{p95(times) * 1000:8.1f} ms  ×{median / base:6.1f} the contents page")  # fmt: skip


if __name__ == "__main__":
    main()
