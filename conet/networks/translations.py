"""The network's, city's, organisation's and focus area's long texts, in more than one language
(conet/core/translations)."""

from conet.core.translations.registry import Translatable, register
from conet.networks.models import City, Network, Organisation, Partnership


def _city_language(city: City) -> str:
    # A city lists the languages it speaks; its texts are written in the first.
    return (city.language_list or ["en"])[0]


register(
    Translatable(
        model=Network,
        fields=("objectives", "activities", "results", "contacts"),
        edit_permission="networks.change_network",
        scope=lambda network: (network.pk, None),
    )
)
register(
    Translatable(
        model=City,
        fields=("description",),
        edit_permission="networks.change_city",
        language=_city_language,
        scope=lambda city: (None, city.pk),
    )
)
register(
    Translatable(
        model=Organisation,
        fields=("description",),
        edit_permission="networks.change_organisation",
        scope=lambda organisation: (None, None),
    )
)
register(
    Translatable(
        model=Partnership,
        fields=("focus_area_description",),
        edit_permission="networks.manage_partnerships",
        language=lambda partnership: partnership.network.language,
    )
)
