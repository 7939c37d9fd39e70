"""A meeting's photos (conet/core/photos)."""

from conet.core.photos.registry import Photographed, register
from conet.meetings.models import Meeting

register(
    Photographed(
        model=Meeting,
        edit_permission="meetings.change_meeting",
        view_permission="meetings.view_meeting",
        scope=lambda meeting: (meeting.network_id, meeting.host_city_id),
    )
)
