"""Periodic work: the retention rule for invitations nobody accepted (docs/privacy.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from conet.accounts import services


@db_periodic_task(crontab(hour="3", minute="40"))
def erase_inactive_invitations() -> int:
    return services.erase_inactive_invitations()
