from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "conet.monitoring"
    label = "monitoring"
    verbose_name = _("Neighbourhood monitoring")

    def ready(self):
        from conet.monitoring import activity  # noqa: F401 — registers the feed sentences
