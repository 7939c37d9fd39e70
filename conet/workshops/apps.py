from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "conet.workshops"
    label = "workshops"
    verbose_name = _("Future Workshops")

    def ready(self):
        from conet.actionplans.origins import register_origins
        from conet.core.demo import register_demo
        from conet.workshops import (  # noqa: F401  (sentences, photos, data, tasks)
            activity,
            photos,
            privacy,
            tasks,
        )
        from conet.workshops.search import register_workshops
        from conet.workshops.selectors import proposals_behind

        # An action's page lists the proposals it came from.
        register_origins("workshops", proposals_behind)
        # Finished workshops' results are searchable.
        register_workshops()
        # Alba Iulia's workshop on Lumea Nouă, after the action plans (order 40) it feeds, and
        # one in preparation to run live.
        register_demo(
            "workshops",
            load="conet.workshops.demo.load_workshops_demo",
            order=45,
            describe="conet.workshops.demo.describe_workshops_demo",
        )
