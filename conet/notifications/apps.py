from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "conet.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from conet.notifications import tasks  # noqa: F401  (registers the periodic digest)
