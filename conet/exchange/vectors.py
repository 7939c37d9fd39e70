"""The stored meaning of profiles and requests (multilingual-e5 vectors as float32 blobs).

A request is embedded as a "query" and a profile as a "passage", as e5 was trained: a request asks,
a profile answers. Both are L2-normalised, so their dot product is the cosine.
"""

import hashlib

from conet.exchange.models import ExpertProfile, SupportRequest
from conet.search.embeddings import backend, to_bytes


def _embed(model_class, pk: int, side: str, force: bool) -> bool:
    """Compute the object's vector if its text changed; True when a vector was written."""
    model = backend()
    obj = model_class.objects.filter(pk=pk).first()
    if obj is None or not model.enabled:
        return False
    text = obj.meaning_text()
    digest = hashlib.sha256(f"{model.name}\n{text}".encode()).hexdigest()
    if not force and obj.vector_text_hash == digest and obj.vector:
        return False
    vector = getattr(model, side)([text])[0]
    model_class.objects.filter(pk=pk).update(vector=to_bytes(vector), vector_text_hash=digest)
    return True


def embed_profile(profile_id: int, *, force: bool = False) -> bool:
    """Embed a profile as a passage; True when a vector was written."""
    return _embed(ExpertProfile, profile_id, "passages", force)


def embed_request(request_id: int, *, force: bool = False) -> bool:
    """Embed a request as a query; True when a vector was written."""
    return _embed(SupportRequest, request_id, "queries", force)


def embed_missing() -> int:
    """Embed every profile and request without a current vector (after switching models)."""
    count = 0
    for pk in ExpertProfile.objects.values_list("pk", flat=True):
        count += embed_profile(pk)
    for pk in SupportRequest.objects.values_list("pk", flat=True):
        count += embed_request(pk)
    return count
