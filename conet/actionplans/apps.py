from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "conet.actionplans"
    label = "actionplans"
    verbose_name = _("Local Action Plans")

    def ready(self):
        import conet.actionplans.search  # noqa: F401  (launched versions are searchable)
        from conet.actionplans import (  # noqa: F401  (feed sentences, data)
            activity,
            privacy,
            translations,
        )
        from conet.core.demo import register_demo

        # Ballarò's approved plan, Lumea Nouă's draft in consultation
        register_demo("actionplans", load="conet.actionplans.demo.load_actionplans_demo", order=40)
