"""Photos of a workshop's results: the paper boards, the room (conet/core/photos). The people who
run the workshop add them; they are seen with the protocol, by whoever may see its results."""

from conet.core.photos.registry import Photographed, register
from conet.workshops.models import Workshop

register(
    Photographed(
        model=Workshop,
        edit_permission="workshops.facilitate",
        view_permission="workshops.view_results",
        scope=lambda workshop: (workshop.network_id, workshop.city_id),
    )
)
