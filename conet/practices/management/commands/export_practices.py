"""conet export practices [--format csv|json] [--output FILE] [--network SLUG] [--all]"""

from pathlib import Path

from django.core.management.base import BaseCommand

from conet.practices import imports
from conet.practices.models import GoodPractice, Status


class Command(BaseCommand):
    help = "Export good practices as CSV or JSON (columns named like the fields; importable again)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="file_format")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--network", help="only practices of this network (slug)")
        parser.add_argument(
            "--all", action="store_true", help="drafts too (default: published only)"
        )

    def handle(self, *args, file_format, output, network, all, **options):
        practices = GoodPractice.objects.prefetch_related("core_tasks").order_by("source_key")
        if not all:
            practices = practices.filter(status=Status.PUBLISHED)
        if network:
            practices = practices.filter(network__slug=network)
        text = imports.to_json(practices) if file_format == "json" else imports.to_csv(practices)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"{practices.count()} practices written to {output}")
        else:
            self.stdout.write(text, ending="")
