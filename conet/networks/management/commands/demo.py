from django.core.management.base import BaseCommand

from conet.actionplans.demo import load_actionplans_demo
from conet.consultations.demo import load_consultation_demo
from conet.monitoring.demo import load_monitoring_demo
from conet.networks.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the CoNet network (2008–2011, 11 cities) and one demo user per role. Idempotent."

    def handle(self, *args, **options):
        created = load_demo()
        load_monitoring_demo()  # Berlin's neighbourhood monitoring (MSS 2021)
        load_consultation_demo()  # Palermo asks Ballarò (opinion mapping, /consultations/ballaro/)
        load_actionplans_demo()  # Ballarò's approved plan, Lumea Nouă's draft in consultation
        if created["network"]:
            self.stdout.write(
                self.style.SUCCESS("Loaded the CoNet network with its 11 partner cities.")
            )
        else:
            self.stdout.write("The CoNet network is already there; nothing changed.")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for demo in DEMO_USERS:
            role = "platform admin" if demo.role == "admin" else str(demo.role.label)
            scope = {"network": "CoNet", "": "the platform"}.get(demo.scope, demo.scope)
            self.stdout.write(f"  {demo.email:<30} {role} — {scope}")
        self.stdout.write("\nSign in at /accounts/login/ ; the network page is /networks/conet/")
