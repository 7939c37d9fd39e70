"""Background work of machine translation (huey): a request never waits on the service."""

from huey.contrib.djhuey import db_task

from conet.core.translations import services


@db_task(priority=10)
def machine_translate_task(request_id: int) -> None:
    services.run_machine_translation(request_id)
