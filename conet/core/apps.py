from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "conet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from conet.core.translations import tasks  # noqa: F401  (the consumer must know them)
