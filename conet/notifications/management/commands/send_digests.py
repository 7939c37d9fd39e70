from django.core.management.base import BaseCommand

from conet.notifications.services import send_digests


class Command(BaseCommand):
    help = "E-mail each person a digest of their unread notifications not yet e-mailed."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest e-mails sent")
