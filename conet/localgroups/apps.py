from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalGroupsConfig(AppConfig):
    name = "conet.localgroups"
    label = "localgroups"
    verbose_name = _("Local Support Groups")

    def ready(self):
        from conet.localgroups import activity, privacy  # noqa: F401  (feed sentences, data)
