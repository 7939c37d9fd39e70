from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "conet.workshops"
    label = "workshops"
    verbose_name = _("Future Workshops")

    def ready(self):
        from conet.workshops import activity  # noqa: F401  (registers the feed sentences)
