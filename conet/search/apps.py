from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "conet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from conet.search import signals, tasks  # noqa: F401  (registers the huey tasks)

        signals.connect()
