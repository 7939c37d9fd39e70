from django.core.management.base import BaseCommand

from conet.meetings.services import erase_needs_after_meetings, needs_retention_days


class Command(BaseCommand):
    help = (
        "Erase registrants' accessibility and dietary needs of meetings that ended more than "
        "CONET_MEETING_NEEDS_RETENTION_DAYS days ago."
    )

    def handle(self, *args, **options):
        erased = erase_needs_after_meetings()
        self.stdout.write(
            f"needs erased from {erased} registrations (retention: {needs_retention_days()} days)"
        )
