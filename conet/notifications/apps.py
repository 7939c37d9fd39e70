from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "conet.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from conet.notifications import privacy, tasks  # noqa: F401  (personal data, periodic work)
