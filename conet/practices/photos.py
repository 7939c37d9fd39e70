"""A good practice's photos (conet/core/photos)."""

from conet.core.photos.registry import Photographed, register
from conet.practices.models import GoodPractice

register(
    Photographed(
        model=GoodPractice,
        edit_permission="practices.edit_practice",
        view_permission="practices.view_practice",
        scope=lambda practice: (practice.network_id, practice.city_id),
    )
)
