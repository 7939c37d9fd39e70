"""Background work: the digest for people who follow a network, a city or a focus area."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from conet.follows import services


@db_periodic_task(crontab(hour="6", minute="30"))
def send_follow_digests() -> int:
    return services.send_digests()
