from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "conet.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from conet.core.demo import register_demo
        from conet.networks import (
            activity,  # noqa: F401 — registers the feed sentences
            photos,  # noqa: F401  (pictures of cities and focus areas)
            translations,  # noqa: F401  (texts in several languages)
        )

        register_demo(
            "networks",
            load="conet.networks.demo.load_demo",
            describe="conet.networks.demo.describe",
            accounts="conet.networks.demo.demo_accounts",
            order=0,
        )
