from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conet.consultations.models import Consultation


class Command(BaseCommand):
    help = "Write a consultation in the Pol.is export format (four CSV files) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("folder", type=Path)

    def handle(self, *args, slug: str, folder: Path, **options):
        from conet.consultations import polis, services

        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"no consultation with the short name {slug!r}")
        services.maybe_recompute(consultation, force=True)
        for path in polis.write_folder(consultation, folder):
            self.stdout.write(str(path))
