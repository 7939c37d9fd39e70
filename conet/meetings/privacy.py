"""What meetings hold about a person: registrations with their stored needs, the meetings they
created, the documents they uploaded (with the files) and their calendar address (see
conet/accounts/personal_data.py)."""

import posixpath

from django.utils import timezone

from conet.accounts.personal_data import register_personal_data, row, rows
from conet.meetings import services
from conet.meetings.models import CalendarFeed, Meeting, MeetingDocument, Registration


def export_meetings(user) -> dict:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "registrations": [
            row(registration) | {"meeting_title": registration.meeting.title}
            for registration in Registration.objects.filter(user=user).select_related("meeting")
        ],
        "meetings_created": rows(Meeting.objects.filter(created_by=user)),
        "documents_uploaded": rows(MeetingDocument.objects.filter(uploaded_by=user)),
        # Whether a calendar address exists and since when; the address itself is a secret.
        "calendar_feed": row(feed) if feed else None,
    }


def uploaded_files(user):
    for document in MeetingDocument.objects.filter(uploaded_by=user).exclude(file=""):
        yield document.file, f"{document.pk}-{posixpath.basename(document.file.name)}"


def erase_meetings(user) -> None:
    # A seat held in a meeting still to come goes to the first person waiting, as on cancelling.
    upcoming = Registration.objects.filter(
        user=user,
        meeting__ends_at__gt=timezone.now(),
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
    )
    for registration in upcoming:
        services.cancel_registration(registration, by=user)
    # Registrations and the calendar address go with the account (on delete cascade); meetings
    # and documents stay in the network's record with no author (on delete set null).


register_personal_data(
    "meetings", export=export_meetings, files=uploaded_files, erase=erase_meetings
)
