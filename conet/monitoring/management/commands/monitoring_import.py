"""Import indicator values from a CSV file on the command line, with a progress bar.

    conet monitoring_import berlin values.csv --period 2021
    conet monitoring_import berlin values.csv --decimal comma --create-indicators

The same import as the upload page (long or wide layout, `;` or `,`, decimal comma or point, with
or without BOM): one transaction, nothing stored unless every row is good, every bad row and
column reported. For files too large to upload through a browser, and for scripted loads.
"""

import sys
from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conet.core.progress import ProgressBar as CoreProgressBar
from conet.monitoring.readers import ImportFailed
from conet.monitoring.services import store_observations
from conet.networks.models import City

STEPS = {
    "check": "Checking rows",
    "store": "Storing values",
    "indices": "Recomputing indices",
}


# The steps of the import, as the bar names them, with percentages and the time each step takes.
ProgressBar = partial(CoreProgressBar, labels=STEPS, label_width=20, percent=True, timing=True)


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
