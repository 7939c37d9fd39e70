"""What needs a person's attention, for their dashboard: each feature app declares what it knows.

    register_attention("conet.exchange.selectors.attention_for")

`core` and `accounts` import no feature app: a provider is named by its dotted path, imported when
the dashboard asks, and returns items for one person in a fixed number of queries.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str


_PROVIDERS: list[str] = []


def register_attention(provider: str) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def attention_for(user) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for provider in _PROVIDERS:
        items.extend(import_string(provider)(user))
    return items
