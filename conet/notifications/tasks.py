"""Background work: mail at once for those who asked, and the daily digest."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from conet.notifications import services


@db_task()
def send_immediate_notifications(user_ids: list[int]) -> int:
    return services.send_immediate(user_ids)


@db_periodic_task(crontab(hour="6", minute="0"))
def send_daily_digests() -> int:
    return services.send_digests()


@db_periodic_task(crontab(hour="3", minute="45"))
def erase_old_notifications() -> int:
    return services.erase_old_notifications()
