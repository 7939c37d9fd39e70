"""conet backup FILE: the database and the uploads in one archive, while the site runs."""

from django.core.management.base import BaseCommand, CommandError

from conet.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write the database (a consistent snapshot) and every upload to one archive (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. conet-2026-12-07.tar.gz")

    def handle(self, *args, file: str, **options):
        try:
            summary = write_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.files} uploaded files "
            f"({summary.bytes / 1e6:.1f} MB) to {summary.path}"
        )
