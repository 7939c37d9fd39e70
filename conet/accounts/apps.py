from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "conet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from conet.accounts import activity, privacy, tasks  # noqa: F401 — sentences, data, retention
