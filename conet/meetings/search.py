"""What the search index knows about a meeting: public, not cancelled meetings only."""

from django.utils.translation import gettext_lazy as _

from conet.meetings.models import Meeting
from conet.search.registry import Searchable, SearchDocumentData, register


def meeting_document(meeting: Meeting) -> SearchDocumentData | None:
    if not meeting.is_public or meeting.is_cancelled:
        return None
    city = meeting.host_city
    agenda = "\n".join(
        f"{item.title} {item.speakers} {item.description}" for item in meeting.agenda_items.all()
    )
    return SearchDocumentData(
        title=meeting.title,
        url=meeting.get_absolute_url(),
        language=meeting.language,
        summary=" — ".join(part for part in [meeting.theme, meeting.description[:500]] if part),
        body="\n\n".join(part for part in [meeting.description, agenda, meeting.outputs] if part),
        network=meeting.network.slug,
        country=city.country if city else "",
        city=city.name if city else "",
        city_population=city.population if city else None,
        core_tasks=tuple(str(task.number) for task in meeting.core_tasks.all()),
        extra={"kind": meeting.kind, "starts_at": meeting.starts_at.isoformat()},
    )


def register_meetings() -> None:
    register(
        Searchable(
            kind="meeting",
            label=_("Meeting"),
            model=Meeting,
            queryset=lambda: Meeting.objects.select_related(
                "network", "host_city"
            ).prefetch_related("agenda_items", "core_tasks"),
            document=meeting_document,
        )
    )
