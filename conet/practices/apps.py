from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "conet.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from conet.core.demo import register_demo

        # after the networks (order 10): the guide belongs to CoNet and uses its core tasks
        register_demo(
            "practices",
            load="conet.practices.demo.load_practices_demo",
            describe="conet.practices.demo.describe",
            order=30,
        )
