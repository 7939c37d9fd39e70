from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "conet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from conet.core.demo import register_demo
        from conet.search import signals, tasks  # noqa: F401  (registers the huey tasks)

        signals.connect()
        # Last: after every app whose things it indexes.
        register_demo(
            "search",
            load="conet.search.demo.load_search_demo",
            order=100,
            describe="conet.search.demo.describe_search_demo",
        )
