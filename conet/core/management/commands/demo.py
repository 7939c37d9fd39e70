from django.core.management.base import BaseCommand

from conet.core.demo import account_lines, demo_accounts, run_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the CoNet network (2008–2011, 11 cities), one user per role, and what "
        "each app adds (registered in conet.core.demo). Running it twice changes nothing."
    )

    def handle(self, *args, **options):
        for line in run_demo():
            self.stdout.write(line)
        # The accounts last, every time, not only when they were created.
        for line in ["", *account_lines(demo_accounts())]:
            self.stdout.write(line)
