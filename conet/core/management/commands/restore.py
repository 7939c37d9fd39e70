"""conet restore FILE: an archive of `conet backup` into a new, empty installation."""

from django.core.management.base import BaseCommand, CommandError

from conet.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `conet backup` into an empty installation (an empty "
        "database and no uploads). Every file is checked against the archive's manifest first; "
        "a damaged archive is refused and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by conet backup")
        parser.add_argument(
            "--check", action="store_true", help="only check the archive against its manifest"
        )

    def handle(self, *args, file: str, check: bool, **options):
        try:
            if check:
                manifest = read_manifest(file)
                self.stdout.write(
                    f"{file} is complete: {len(manifest['members'])} files, "
                    f"{manifest['database']} database, written {manifest['created_at']}"
                )
                return
            summary = restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {summary.vendor} database and {summary.files} uploaded files "
            f"from {summary.path}"
        )
