"""Every write of a translated text: by a person (form or API) or by a machine (in the background).

Rules kept here, whoever calls: a person's version replaces a machine's; a machine never overwrites
a person's, not even an outdated one; two people saving the same text from the same version cannot
both win (the second sees the first one's text). Each write is one transaction with its audit entry,
and tells the search index through `translation_changed` (core cannot import search).
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conet.core import audit
from conet.core.concurrency import EditConflict, update_versioned
from conet.core.models import ContentTranslation, MachineTranslationRequest
from conet.core.translations import machine, registry
from conet.core.translations.selectors import source_hash

logger = logging.getLogger(__name__)

# Sent on commit with `model` (the translated object's class) and `object_id`.
translation_changed = Signal()


def _announce(obj: Model) -> None:
    model, object_id = type(obj), obj.pk
    transaction.on_commit(
        lambda: translation_changed.send(
            sender=ContentTranslation, model=model, object_id=object_id
        ),
        robust=True,
    )


def _about(translatable: registry.Translatable, obj: Model) -> SimpleNamespace:
    network_id, city_id = translatable.scope(obj)
    return SimpleNamespace(network_id=network_id, city_id=city_id)


def _checked(obj: Model, field: str, language: str) -> tuple[registry.Translatable, str]:
    """The registration and the original text, or a ValidationError naming what is wrong."""
    translatable = registry.for_model(type(obj))
    if translatable is None or field not in translatable.fields:
        raise ValidationError({"field": _("This text cannot be translated.")})
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Unknown language.")})
    if language == translatable.language(obj):
        raise ValidationError({"language": _("This is the language of the original text.")})
    original = translatable.original(obj, field)
    if not original.strip():
        raise ValidationError(
            {"field": _("The original text is empty: there is nothing to translate.")}
        )
    return translatable, original


def _row(obj: Model, field: str, language: str):
    return ContentTranslation.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        language=language,
    )


@transaction.atomic
def save_translation(
    obj: Model,
    field: str,
    language: str,
    text: str,
    *,
    by,
    expected_version: int,
    request=None,
) -> ContentTranslation | None:
    """A person's version of `field` in `language`. `expected_version` is the version the editor
    started from (0: there was none). An empty text removes the translation (the page then shows
    the original with its note). Returns the stored row, or None when removed."""
    translatable, original = _checked(obj, field, language)
    if not translatable.may_edit(by, obj):
        raise PermissionDenied(translatable.edit_permission)
    text = text.strip()
    current = _row(obj, field, language).first()
    if current is None:
        if expected_version != 0:  # removed by someone else since the editor loaded it
            raise EditConflict(ContentTranslation(text="", version=0), ["text"])
        if not text:
            return None
        try:
            with transaction.atomic():
                stored = ContentTranslation.objects.create(
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                    field=field,
                    language=language,
                    text=text,
                    origin=ContentTranslation.Origin.HUMAN,
                    source_hash=source_hash(original),
                    updated_by=by,
                )
        except IntegrityError:  # someone created it between our read and our insert
            raise EditConflict(_row(obj, field, language).get(), ["text"]) from None
    elif not text:
        if current.version != expected_version:
            raise EditConflict(current, ["text"])
        current.delete()
        stored = None
    else:
        stored = update_versioned(
            current,
            expected_version,
            {
                "text": text,
                "origin": ContentTranslation.Origin.HUMAN,
                "source_hash": source_hash(original),
                "updated_by": by,
            },
        )
    audit.record(
        "translation.saved" if stored else "translation.removed",
        actor=by,
        about=_about(translatable, obj),
        summary=f"{obj} — {translatable.label(field)} [{language}]",
        data={"object": translatable.key, "id": obj.pk, "field": field, "language": language},
        request=request,
    )
    _announce(obj)
    return stored


def request_machine_translations(obj: Model, *, by, request=None) -> MachineTranslationRequest:
    """Queue the machine translation of `obj`'s missing (and outdated machine-made) texts."""
    translatable = registry.for_model(type(obj))
    if translatable is None:
        raise ValidationError(_("This text cannot be translated."))
    if not translatable.may_edit(by, obj):
        raise PermissionDenied(translatable.edit_permission)
    if not machine.enabled():
        raise ValidationError(machine.MESSAGES["off"])
    with transaction.atomic():
        queued = MachineTranslationRequest.objects.create(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, requested_by=by
        )
        audit.record(
            "translation.requested",
            actor=by,
            about=_about(translatable, obj),
            summary=str(obj),
            data={"object": translatable.key, "id": obj.pk, "request": queued.pk},
            request=request,
        )
        from conet.core.translations import tasks

        transaction.on_commit(lambda: tasks.machine_translate_task(queued.pk), robust=True)
    return queued


def _work(translatable: registry.Translatable, obj: Model) -> dict[str, list[tuple[str, str]]]:
    """{language: [(field, original)]}: texts with no translation, or only an outdated machine one."""
    stored = {
        (row.field, row.language): row
        for row in ContentTranslation.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
    }
    source = translatable.language(obj)
    work: dict[str, list[tuple[str, str]]] = {}
    for language, _name in settings.LANGUAGES:
        if language == source:
            continue
        for field in translatable.fields:
            original = translatable.original(obj, field)
            if not original.strip():
                continue
            row = stored.get((field, language))
            if row is None or (
                row.origin == ContentTranslation.Origin.MACHINE
                and row.source_hash != source_hash(original)
            ):
                work.setdefault(language, []).append((field, original))
    return work


def run_machine_translation(request_id: int) -> MachineTranslationRequest:
    """Translate everything first, then write it all in one transaction: a backend that fails half
    way (down, quota, bad key) leaves every text as it was and the request says why."""
    queued = MachineTranslationRequest.objects.select_related("content_type").get(pk=request_id)
    model = queued.content_type.model_class()
    obj = model._default_manager.filter(pk=queued.object_id).first() if model else None
    translatable = registry.for_model(model) if model else None
    if obj is None or translatable is None:
        return _finish(queued, error="bad_response", detail="the object is gone")
    backend = None
    try:
        backend = machine.backend()
    except ValueError as error:
        return _finish(queued, error="off", detail=str(error))
    if backend is None:
        return _finish(queued, error="off")
    source = translatable.language(obj)
    results: list[tuple[str, str, str, str]] = []  # (field, language, original, translation)
    try:
        for language, texts in _work(translatable, obj).items():
            translated = backend.translate([text for _f, text in texts], source, language)
            results += [
                (field, language, original, done)
                for (field, original), done in zip(texts, translated, strict=True)
            ]
    except machine.TranslationUnavailable as error:
        logger.warning("machine translation %s of %s failed: %s", queued.pk, obj, error)
        return _finish(queued, error=error.code, detail=error.detail)
    written = 0
    with transaction.atomic():
        for field, language, original, text in results:
            if _store_machine(obj, field, language, original, text):
                written += 1
        _finish(queued, written=written)
        if written:
            _announce(obj)
    return queued


def _store_machine(obj: Model, field: str, language: str, original: str, text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    current = _row(obj, field, language).first()
    if current is not None and current.origin == ContentTranslation.Origin.HUMAN:
        return False  # a person wrote it while the machine worked: theirs stays
    if current is not None:
        # Only while it is still the machine's: a person's save in between wins.
        return bool(
            ContentTranslation.objects.filter(
                pk=current.pk, origin=ContentTranslation.Origin.MACHINE
            ).update(
                text=text,
                source_hash=source_hash(original),
                version=F("version") + 1,
                updated_at=timezone.now(),
                updated_by=None,
            )
        )
    try:
        with transaction.atomic():
            ContentTranslation.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                field=field,
                language=language,
                text=text,
                origin=ContentTranslation.Origin.MACHINE,
                source_hash=source_hash(original),
            )
    except IntegrityError:  # a person saved theirs a moment ago
        return False
    return True


def _finish(
    queued: MachineTranslationRequest, *, error: str = "", detail: str = "", written: int = 0
):
    queued.status = (
        MachineTranslationRequest.Status.FAILED if error else MachineTranslationRequest.Status.DONE
    )
    queued.error = error
    queued.detail = detail[:500]
    queued.written = written
    queued.finished_at = timezone.now()
    queued.save(update_fields=["status", "error", "detail", "written", "finished_at"])
    return queued


def forget_translations(sender, instance, **kwargs) -> None:
    """post_delete of any model: a deleted object's translations and requests go with it (there is
    no foreign key to cascade, since core cannot point at the apps' tables)."""
    if registry.for_model(sender) is None or instance.pk is None:
        return
    content_type = ContentType.objects.get_for_model(sender)
    ContentTranslation.objects.filter(content_type=content_type, object_id=instance.pk).delete()
    MachineTranslationRequest.objects.filter(
        content_type=content_type, object_id=instance.pk
    ).delete()
