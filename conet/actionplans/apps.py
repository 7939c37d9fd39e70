from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "conet.actionplans"
    label = "actionplans"
    verbose_name = _("Local Action Plans")

    def ready(self):
        from conet.actionplans import activity  # noqa: F401  (registers the feed sentences)
