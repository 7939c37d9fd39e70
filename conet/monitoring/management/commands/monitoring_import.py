"""Import indicator values from a CSV file on the command line, with a progress bar.

    conet monitoring_import berlin values.csv --period 2021
    conet monitoring_import berlin values.csv --decimal comma --create-indicators

The same import as the upload page (long or wide layout, `;` or `,`, decimal comma or point, with
or without BOM): one transaction, nothing stored unless every row is good, every bad row and
column reported. For files too large to upload through a browser, and for scripted loads.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conet.monitoring.readers import ImportFailed
from conet.monitoring.services import store_observations
from conet.networks.models import City

STEPS = {
    "check": "Checking rows",
    "store": "Storing values",
    "indices": "Recomputing indices",
}


class ProgressBar:
    """One line per step, redrawn in place on a terminal; elsewhere (a log, CI) a line every 10 %."""

    def __init__(self, stream, *, width: int = 30, interactive: bool | None = None):
        self.stream = stream
        self.width = width
        self.interactive = stream.isatty() if interactive is None else interactive
        self.step = None
        self.started = 0.0
        self.last_tenth = -1

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.step:
            if self.step is not None and self.interactive:
                self.stream.write("\n")
            self.step, self.started, self.last_tenth = step, time.monotonic(), -1
        fraction = done / total if total else 1.0
        tenth = int(fraction * 10)
        if not self.interactive and tenth == self.last_tenth:
            return
        self.last_tenth = tenth
        filled = int(fraction * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        line = f"{STEPS.get(step, step):<20} [{bar}] {fraction:4.0%} {done:,}/{total:,} {elapsed:5.1f} s"
        if self.interactive:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.step is not None and self.interactive:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import indicator values for a city's monitoring from a CSV file, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("city", help="the city's slug, e.g. berlin")
        parser.add_argument("file", help="the CSV file (long or wide layout)")
        parser.add_argument("--period", default="", help="the period, when the file has none")
        parser.add_argument(
            "--decimal", choices=["auto", "comma", "point"], default="auto", help="decimal mark"
        )
        parser.add_argument(
            "--create-indicators",
            action="store_true",
            help="create indicators for unknown codes instead of refusing them",
        )
        parser.add_argument(
            "--ignore-unknown-columns",
            action="store_true",
            help="skip columns that name no indicator (wide layout)",
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args, **options):
        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"No city with the slug “{options['city']}”.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        bar = None if options["no_progress"] else ProgressBar(sys.stderr)
        try:
            with transaction.atomic():
                summary = store_observations(
                    city,
                    path.read_bytes(),
                    period=options["period"],
                    decimal=options["decimal"],
                    create_missing_indicators=options["create_indicators"],
                    ignore_unknown_columns=options["ignore_unknown_columns"],
                    progress=bar,
                )
        except ImportFailed as failed:
            if bar:
                bar.close()
            for line in failed.messages:
                self.stderr.write(line)
            raise CommandError("Nothing was imported.") from failed
        if bar:
            bar.close()
        self.stdout.write(
            f"{summary.observations:,} values imported for {len(summary.indicators)} indicators "
            f"and the periods {', '.join(summary.periods)}."
        )
        if summary.created_indicators:
            self.stdout.write("New indicators: " + ", ".join(summary.created_indicators))
        if summary.skipped_columns:
            self.stdout.write("Skipped columns: " + ", ".join(summary.skipped_columns))
        for code, count in summary.recomputed.items():
            self.stdout.write(f"Index {code}: {count:,} results recomputed.")
