"""A good practice's photos (conet/core/photos). The first one is in the guide's PDF, so a change
to them makes the guides holding the practice a new version (and PDF)."""

from conet.core.photos.registry import Photographed, register
from conet.practices.models import GoodPractice
from conet.practices.services import touch_guides_showing

register(
    Photographed(
        model=GoodPractice,
        edit_permission="practices.edit_practice",
        view_permission="practices.view_practice",
        scope=lambda practice: (practice.network_id, practice.city_id),
        changed=touch_guides_showing,
    )
)
