from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "conet.consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from conet.actionplans.origins import register_origins
        from conet.consultations import (  # noqa: F401  (sentences, data, tasks)
            activity,
            privacy,
            tasks,
            translations,
        )
        from conet.consultations.selectors import statements_behind
        from conet.core.demo import register_demo

        # An action's page lists the statements that led to it.
        register_origins("consultations", statements_behind)

        # Palermo asks Ballarò (opinion mapping, /consultations/ballaro/)
        register_demo(
            "consultations", load="conet.consultations.demo.load_consultation_demo", order=30
        )
        # Ballarò's story: what its statements led to in the plan (after the plans, order 40).
        register_demo(
            "consultations_story", load="conet.consultations.demo.link_ballaro_story", order=46
        )
