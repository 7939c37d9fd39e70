"""Periodic work: the retention rule for devices' hashes after a consultation closes
(docs/privacy.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from conet.consultations import services


@db_periodic_task(crontab(hour="3", minute="50"))
def cut_consultation_device_links() -> int:
    return services.cut_device_links()
