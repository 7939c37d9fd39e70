from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "conet.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from conet.core.demo import register_demo
        from conet.practices import (  # noqa: F401  (sentences, data, rules)
            activity,
            photos,
            privacy,
            rules,
            translations,
        )
        from conet.practices.search import searchable
        from conet.search.registry import register

        register(searchable)
        # after the networks and their core tasks: the guide belongs to CoNet
        register_demo(
            "practices",
            load="conet.practices.demo.load_practices_demo",
            describe="conet.practices.demo.describe",
            order=30,
        )
