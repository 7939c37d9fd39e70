"""A meeting's description and agenda, in more than one language (conet/core/translations)."""

from conet.core.translations.registry import Translatable, register
from conet.meetings.models import AgendaItem, Meeting


def _meeting_scope(meeting: Meeting) -> tuple[int | None, int | None]:
    return meeting.network_id, meeting.host_city_id


register(
    Translatable(
        model=Meeting,
        fields=("description", "minutes", "outputs"),
        edit_permission="meetings.change_meeting",
        view_permission="meetings.view_meeting",
        scope=_meeting_scope,
    )
)
register(
    Translatable(
        model=AgendaItem,
        fields=("description",),
        edit_permission="meetings.change_meeting",
        view_permission="meetings.view_meeting",
        language=lambda item: item.meeting.language,
        scope=lambda item: _meeting_scope(item.meeting),
        permission_object=lambda item: item.meeting,
    )
)
