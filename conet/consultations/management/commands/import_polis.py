from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from conet.accounts.models import User
from conet.networks.models import City, Network


class Command(BaseCommand):
    help = (
        "Import a conversation from a Pol.is export folder (comments.csv, votes.csv, and optionally "
        "summary.csv) as a new consultation of a city. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--city", required=True, help="the city's short name, e.g. palermo")
        parser.add_argument("--slug", required=True, help="the new consultation's short name")
        parser.add_argument("--network", help="a network the city is a partner in (short name)")
        parser.add_argument("--language", default="en", help="language of the statements")
        parser.add_argument(
            "--by", help="e-mail of the person importing (default: the first platform admin)"
        )

    def handle(self, *args, folder: Path, city: str, slug: str, **options):
        from conet.consultations.polis import import_folder

        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        try:
            city_obj = City.objects.get(slug=city)
        except City.DoesNotExist as exc:
            raise CommandError(f"no city with the short name {city!r}") from exc
        network = None
        if options.get("network"):
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"no network with the short name {options['network']!r}")
        by = (
            User.objects.filter(email__iexact=options["by"]).first()
            if options.get("by")
            else User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        )
        if by is None:
            raise CommandError("no such person; name a platform admin with --by")
        try:
            consultation = import_folder(
                folder, city=city_obj, slug=slug, by=by, network=network,
                language=options["language"],
            )  # fmt: skip
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        result = consultation.result
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {consultation.statements.count()} statements and {result.votes_used} "
                f"votes of {consultation.participants.count()} participants into "
                f"{consultation.get_absolute_url()} ({result.group_count} opinion groups)."
            )
        )
