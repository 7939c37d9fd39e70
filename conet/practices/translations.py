"""A good practice's long texts, in more than one language (conet/core/translations)."""

from conet.core.translations.registry import Translatable, register
from conet.practices.models import GoodPractice


def _scope(practice: GoodPractice) -> tuple[int | None, int | None]:
    return practice.network_id, practice.city_id


register(
    Translatable(
        model=GoodPractice,
        fields=("description", *GoodPractice.TEXT_SECTIONS),
        edit_permission="practices.edit_practice",
        view_permission="practices.view_practice",
        scope=_scope,
    )
)
