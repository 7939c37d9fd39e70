"""Every write to the search index. Feature apps never call these directly: saving or deleting a
registered model schedules `index_later`, which runs `index_object` in the background."""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from django.db import transaction

from conet.search import embeddings, registry
from conet.search.models import CitySize, SearchDocument, SearchVector
from conet.search.registry import SearchDocumentData
from conet.search.vectors import bump_counter

logger = logging.getLogger(__name__)

BODY_BATCH = 8


def index_later(kind: str, object_id: int) -> None:
    """Update the index for one object after the current transaction commits (a huey task)."""
    from conet.search import tasks

    transaction.on_commit(lambda: tasks.index_object_task(kind, object_id), robust=True)


def index_object(kind: str, object_id: int) -> SearchDocument | None:
    """Bring one object's document up to date from its Searchable; drop it when the object is gone
    or no longer public. Embeddings are queued: title and summary first, the body after."""
    try:
        searchable = registry.get(kind)
    except KeyError:
        logger.warning("search: no searchable kind %r registered", kind)
        return None
    instance = searchable.queryset().filter(pk=object_id).first()
    data = searchable.document(instance) if instance is not None else None
    if data is None:
        remove_document(kind, object_id)
        return None
    data = with_translations(instance, data)
    document = upsert_document(kind, object_id, data)
    queue_embeddings(document)
    return document


def with_translations(instance, data: SearchDocumentData) -> SearchDocumentData:
    """The object's texts in other languages (conet/core/translations) join its body: a practice
    someone translated into Italian is found by its Italian words, not only by meaning."""
    from conet.core.translations import registry as translatable
    from conet.core.translations.selectors import translations_of

    if translatable.for_model(type(instance)) is None:
        return data  # nothing of it can be translated: no query
    texts = [row.text for row in translations_of(instance)]
    if not texts:
        return data
    return dataclasses.replace(data, body="\n\n".join([data.body, *texts]).strip())


def queue_embeddings(document: SearchDocument) -> None:
    if not embeddings.backend().enabled:
        return
    from conet.search import tasks

    name = embeddings.backend().name
    if document.short_embedded != _vector_key(name, document.short_hash):
        tasks.embed_short_task(document.pk)
    if document.body_embedded != _vector_key(name, document.body_hash):
        tasks.embed_body_task(document.pk)


def short_text(title: str, summary: str) -> str:
    text = f"{title}. {summary}".strip() if summary else title
    parts = embeddings.chunks(text)
    return parts[0] if parts else ""


def _hash(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _vector_key(backend_name: str, text_hash: str) -> str:
    return _hash(backend_name, text_hash)


def _fields(data: SearchDocumentData) -> dict:
    return {
        "title": data.title[:300],
        "url": data.url[:500],
        "language": data.language or "",
        "summary": data.summary or "",
        "body": data.body or "",
        "network": data.network or "",
        "country": (data.country or "").upper(),
        "city": data.city or "",
        "city_population": data.city_population,
        "city_size": CitySize.of(data.city_population),
        "core_tasks": "".join(f"|{task}" for task in data.core_tasks) + "|"
        if data.core_tasks
        else "",
        "extra": dict(data.extra),
    }


@transaction.atomic
def upsert_document(kind: str, object_id: int, data: SearchDocumentData) -> SearchDocument:
    """Store what the index knows of one object; unchanged fields write nothing, a changed text
    drops the vectors of that text (they are stale) and keeps the others."""
    fields = _fields(data)
    fields["short_hash"] = _hash(fields["title"], fields["summary"])
    fields["body_hash"] = _hash(fields["body"])
    document = (
        SearchDocument.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
    )
    if document is None:
        document = SearchDocument.objects.create(kind=kind, object_id=object_id, **fields)
        bump_counter()
        return document
    changed = [name for name, value in fields.items() if getattr(document, name) != value]
    if not changed:
        return document
    if "short_hash" in changed:
        SearchVector.objects.filter(document=document, chunk=0).delete()
        document.short_embedded = ""
        changed.append("short_embedded")
    if "body_hash" in changed:
        SearchVector.objects.filter(document=document, chunk__gt=0).delete()
        document.body_embedded = ""
        changed.append("body_embedded")
    for name in changed:
        if name in fields:
            setattr(document, name, fields[name])
    document.save(update_fields=[*changed, "updated_at"])
    bump_counter()
    return document


@transaction.atomic
def remove_document(kind: str, object_id: int) -> bool:
    deleted, _ = SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    if deleted:
        bump_counter()
    return bool(deleted)


def embed_short(document_id: int) -> bool:
    """Embed title and summary (one ~12 ms call). Returns whether a vector was stored."""
    backend = embeddings.backend()
    document = SearchDocument.objects.filter(pk=document_id).first()
    if not backend.enabled or document is None:
        return False
    key = _vector_key(backend.name, document.short_hash)
    if document.short_embedded == key:
        return False
    vector = backend.passages([short_text(document.title, document.summary)])[0]
    return _store(document_id, "short", document.short_hash, key, backend.name, {0: vector})


def embed_body(document_id: int) -> bool:
    """Embed the body in windows (~0.2 s each): background work of the lowest priority."""
    backend = embeddings.backend()
    document = SearchDocument.objects.filter(pk=document_id).first()
    if not backend.enabled or document is None:
        return False
    key = _vector_key(backend.name, document.body_hash)
    if document.body_embedded == key:
        return False
    parts = embeddings.chunks(document.body)
    vectors = {}
    for start in range(0, len(parts), BODY_BATCH):
        batch = backend.passages(parts[start : start + BODY_BATCH])
        for offset, vector in enumerate(batch):
            vectors[start + offset + 1] = vector
    return _store(document_id, "body", document.body_hash, key, backend.name, vectors)


@transaction.atomic
def _store(document_id, side, text_hash, key, backend_name, vectors) -> bool:
    document = SearchDocument.objects.select_for_update().filter(pk=document_id).first()
    # The text changed while it was being embedded: a newer task embeds the new text.
    if document is None or getattr(document, f"{side}_hash") != text_hash:
        return False
    chunks = SearchVector.objects.filter(document=document, backend=backend_name)
    (chunks.filter(chunk=0) if side == "short" else chunks.filter(chunk__gt=0)).delete()
    SearchVector.objects.bulk_create(
        SearchVector(
            document=document,
            chunk=chunk,
            backend=backend_name,
            vector=embeddings.to_bytes(vector),
        )
        for chunk, vector in vectors.items()
    )
    setattr(document, f"{side}_embedded", key)
    document.save(update_fields=[f"{side}_embedded"])
    bump_counter()
    return True


def rebuild(kind: str | None = None, progress=None, queue: bool = True) -> dict[str, int]:
    """Rebuild the documents of one kind (or all) from each Searchable's queryset; drop documents
    whose object is gone. Embeddings are queued (unless `queue` is False: the caller embeds),
    never waited for. `progress(done, total, kind)` is called after each object."""
    counts: dict[str, int] = {}
    for searchable in registry.searchables():
        if kind and searchable.kind != kind:
            continue
        queryset = searchable.queryset()
        total = queryset.count()
        seen: set[int] = set()
        for done, instance in enumerate(queryset.iterator(chunk_size=500), start=1):
            data = searchable.document(instance)
            if data is not None:
                data = with_translations(instance, data)
                document = upsert_document(searchable.kind, instance.pk, data)
                seen.add(instance.pk)
                if queue:
                    queue_embeddings(document)
            if progress:
                progress(done, total, searchable.kind)
        stale = SearchDocument.objects.filter(kind=searchable.kind).exclude(object_id__in=seen)
        if len(seen) > 5000:  # a long IN list: compare in Python instead
            stale_ids = [
                pk
                for pk, object_id in SearchDocument.objects.filter(
                    kind=searchable.kind
                ).values_list("pk", "object_id")
                if object_id not in seen
            ]
            stale = SearchDocument.objects.filter(pk__in=stale_ids)
        with transaction.atomic():
            if stale.delete()[0]:
                bump_counter()
        counts[searchable.kind] = len(seen)
    return counts
