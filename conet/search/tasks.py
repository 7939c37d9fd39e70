"""Background work of the index (huey). Priorities: the text first, then short vectors, then bodies,
so search by words is current at once and meaning catches up."""

from huey.contrib.djhuey import db_task

from conet.search import services


@db_task(priority=30)
def index_object_task(kind: str, object_id: int) -> None:
    services.index_object(kind, object_id)


@db_task(priority=20)
def embed_short_task(document_id: int) -> None:
    services.embed_short(document_id)


@db_task(priority=0)
def embed_body_task(document_id: int) -> None:
    services.embed_body(document_id)
