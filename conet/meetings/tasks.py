"""Periodic work: reminders before meetings, and the retention rule for registrants' needs."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from conet.meetings import services


@db_periodic_task(crontab(minute="15"))
def send_meeting_reminders() -> int:
    return services.send_reminders()


@db_periodic_task(crontab(hour="3", minute="30"))
def erase_meeting_needs() -> int:
    return services.erase_needs_after_meetings()
