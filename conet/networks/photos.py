"""A city's and a focus area's photos (conet/core/photos)."""

from conet.core.photos.registry import Photographed, register
from conet.networks.models import City, Partnership

register(
    Photographed(
        model=City,
        edit_permission="networks.change_city",
        scope=lambda city: (None, city.pk),
    )
)
# A focus area is the part of a partnership that names and describes the neighbourhood.
register(
    Photographed(
        model=Partnership,
        edit_permission="networks.manage_partnerships",
        scope=lambda partnership: (partnership.network_id, partnership.city_id),
    )
)
