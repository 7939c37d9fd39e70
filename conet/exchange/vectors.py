"""The stored meaning of profiles and requests (multilingual-e5 vectors as float32 blobs).

A request is embedded as a "query" and a profile as a "passage", as e5 was trained: a request asks,
a profile answers. Both are L2-normalised, so their dot product is the cosine.
"""

from conet.exchange.models import ExpertProfile, SupportRequest
from conet.search.embeddings import backend, to_bytes


def _hash(text: str) -> str:
    from conet.exchange.services import text_hash

    return text_hash(text)


def embed_profile(profile_id: int, *, force: bool = False) -> bool:
    """Compute the profile's vector if its text changed; True when a vector was written."""
    model = backend()
    profile = ExpertProfile.objects.filter(pk=profile_id).first()
    if profile is None or not model.enabled:
        return False
    text = profile.meaning_text()
    digest = _hash(f"{model.name}\n{text}")
    if not force and profile.vector_text_hash == digest and profile.vector:
        return False
    vector = model.passages([text])[0]
    ExpertProfile.objects.filter(pk=profile_id).update(
        vector=to_bytes(vector), vector_text_hash=digest
    )
    return True


def embed_request(request_id: int, *, force: bool = False) -> bool:
    model = backend()
    request = SupportRequest.objects.filter(pk=request_id).first()
    if request is None or not model.enabled:
        return False
    text = request.meaning_text()
    digest = _hash(f"{model.name}\n{text}")
    if not force and request.vector_text_hash == digest and request.vector:
        return False
    vector = model.queries([text])[0]
    SupportRequest.objects.filter(pk=request_id).update(
        vector=to_bytes(vector), vector_text_hash=digest
    )
    return True


def embed_missing() -> int:
    """Embed every profile and request without a current vector (after switching models)."""
    count = 0
    for pk in ExpertProfile.objects.values_list("pk", flat=True):
        count += embed_profile(pk)
    for pk in SupportRequest.objects.values_list("pk", flat=True):
        count += embed_request(pk)
    return count
