from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "conet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The feed's sentences, people's data, retention tasks, and sign-ins into the audit log.
        from conet.accounts import activity, audit, privacy, tasks  # noqa: F401
