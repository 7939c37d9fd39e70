from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "conet.consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from conet.consultations import activity  # noqa: F401  (registers the feed sentences)
