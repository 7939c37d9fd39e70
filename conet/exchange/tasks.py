"""Background work: the meaning vectors of profiles and requests, computed after each save.

Embedding a profile costs ~0.2 s on two cores, so it never runs inside a request. A vector is
recomputed only when the text it stands for changed (its hash is stored beside it).
"""

from huey.contrib.djhuey import db_task

from conet.exchange import vectors


@db_task(priority=20)
def embed_profile(profile_id: int) -> bool:
    return vectors.embed_profile(profile_id)


@db_task(priority=20)
def embed_request(request_id: int) -> bool:
    return vectors.embed_request(request_id)
