from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "conet.follows"
    label = "follows"
    verbose_name = _("Follows by e-mail")

    def ready(self):
        from conet.follows import privacy, tasks  # noqa: F401  (personal data, periodic work)
