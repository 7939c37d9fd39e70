from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "conet.exchange"
    label = "exchange"
    verbose_name = _("City-to-city exchange")

    def ready(self):
        from conet.core.attention import register_attention
        from conet.core.demo import register_demo
        from conet.exchange import activity, privacy, rules, tasks  # noqa: F401
        from conet.exchange.search import register_requests

        register_requests()
        register_attention("conet.exchange.selectors.attention_for")
        # After networks (0), action plans (40) and meetings (60): the visit is a site-visit
        # meeting and its reports point at Palermo's plan actions.
        register_demo(
            "exchange",
            load="conet.exchange.demo.load_exchange_demo",
            order=70,
            describe="conet.exchange.demo.describe_exchange_demo",
            accounts="conet.exchange.demo.demo_accounts",
        )
