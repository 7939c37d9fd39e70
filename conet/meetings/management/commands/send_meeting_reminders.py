from django.core.management.base import BaseCommand

from conet.meetings.services import send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to everyone registered for a meeting that starts soon (once each)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent")
