"""Periodic work: the retention rule for participants' names (docs/privacy.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from conet.workshops import services


@db_periodic_task(crontab(hour="3", minute="55"))
def erase_workshop_names() -> int:
    return services.erase_names_after_workshops()
