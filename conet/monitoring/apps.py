from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "conet.monitoring"
    label = "monitoring"
    verbose_name = _("Neighbourhood monitoring")

    def ready(self):
        from conet.core.demo import register_demo
        from conet.monitoring import activity  # noqa: F401 — registers the feed sentences

        # Berlin's neighbourhood monitoring (MSS 2021)
        register_demo("monitoring", load="conet.monitoring.demo.load_monitoring_demo", order=20)
