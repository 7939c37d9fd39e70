from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "conet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_delete

        from conet.core.photos import services as photo_services
        from conet.core.translations import services, tasks  # noqa: F401  (tasks: for the consumer)

        post_delete.connect(
            services.forget_translations, dispatch_uid="conet.core.forget_translations"
        )
        post_delete.connect(photo_services.forget_photos, dispatch_uid="conet.core.forget_photos")
