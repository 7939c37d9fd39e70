from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "conet.consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from conet.consultations import (  # noqa: F401  (sentences, data, tasks)
            activity,
            privacy,
            tasks,
            translations,
        )
        from conet.core.demo import register_demo

        # Palermo asks Ballarò (opinion mapping, /consultations/ballaro/)
        register_demo(
            "consultations", load="conet.consultations.demo.load_consultation_demo", order=30
        )
