"""conet import practices FILE [--mapping JSON] [--format csv|json] [--network SLUG] [--status …]

Every row is checked first; if any row or column is wrong, the command names each one and stores
nothing. Importing the same file again changes nothing ("0 created, 0 changed").
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from conet.core.progress import ProgressBar
from conet.networks.models import Network
from conet.practices import imports, services
from conet.practices.models import Status


def load_mapping(value: str | None) -> dict | None:
    if not value:
        return None
    text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"--mapping is not JSON (nor a JSON file): {exc}") from exc
    if not isinstance(mapping, dict):
        raise CommandError('--mapping must be an object: {"Column": "field", …}')
    return mapping


class Command(BaseCommand):
    help = "Import good practices from a CSV or JSON file (the URBACT export, or any file with a mapping)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help='JSON or a JSON file: {"Column": "field", …}')
        parser.add_argument("--format", choices=["csv", "json"], dest="file_format")
        parser.add_argument("--network", help="slug of the network the new practices belong to")
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT, Status.PUBLISHED],
            default=Status.PUBLISHED,
            help="status of new practices (default: published)",
        )
        parser.add_argument("--language", default="en", help="language of the texts (default en)")
        parser.add_argument("--progress", action="store_true", help="show the bar even in a pipe")

    def handle(self, *args, file, mapping, file_format, network, status, language, progress, **kw):
        network_obj = None
        if network:
            network_obj = Network.objects.filter(slug=network).first()
            if network_obj is None:
                raise CommandError(f"no network with the short name {network!r}")
        try:
            columns, records = imports.read_records(file, file_format)
            chosen, prefix = imports.choose_mapping(columns, load_mapping(mapping))
        except imports.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        rows, problems = imports.parse_records(
            records, chosen, key_prefix=prefix, language=language
        )
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            bad_rows = len({problem.row for problem in problems})
            raise CommandError(
                f"{len(problems)} problems in {bad_rows} rows: nothing was imported from {file}"
            )
        stream = self.stderr._out  # the raw stream: the bar writes its own line ends
        # Silent in a pipe unless asked: the report line is what a script reads.
        bar = ProgressBar(stream, interactive=True) if progress or stream.isatty() else None
        try:
            report = services.import_practices(
                rows,
                network=network_obj,
                status=status,
                progress=(lambda done: bar("importing", done, len(rows))) if bar else None,
            )
        except ValidationError as exc:
            raise CommandError(f"nothing was imported: {exc}") from exc
        self.stdout.write(f"{file}: {report}")
