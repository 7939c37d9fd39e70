"""API for the versions of long texts in other languages: read them, write one, ask a machine.

It lives here, not in conet/core/translations, because core imports nothing above it (the API
sign-in comes from accounts)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from conet.api.auth import WRITE_AUTH, reader
from conet.core.translations import registry, selectors, services

router = Router(tags=["translations"])


class TranslationOut(Schema):
    field: str
    language: str
    text: str
    origin: str  # "human" or "machine"
    outdated: bool  # made from an earlier version of the original
    version: int  # what PUT asks for
    updated_at: datetime


class FieldOut(Schema):
    field: str
    original: str
    missing: list[str]  # languages with no version yet


class TranslationsOut(Schema):
    object: str
    id: int
    original_language: str
    fields: list[FieldOut]
    translations: list[TranslationOut]


class TranslationIn(Schema):
    text: str  # Markdown, as the original; empty removes the translation
    version: int = 0  # the version you started from; 0 when there was none


class MachineRequestOut(Schema):
    id: int
    status: str


def _find(request, key: str, object_id: int):
    return registry.visible(request, key, object_id)


def _out(obj) -> dict:
    overview = selectors.overview(obj)
    translations, fields = [], []
    for field, _label, original, cells in overview.rows:
        fields.append(
            {
                "field": field,
                "original": original,
                "missing": [c.language for c in cells if c.state == "missing"] if original else [],
            }
        )
        for cell in cells:
            if cell.translation is not None:
                row = cell.translation
                translations.append(
                    {
                        "field": field,
                        "language": row.language,
                        "text": row.text,
                        "origin": row.origin,
                        "outdated": cell.outdated,
                        "version": row.version,
                        "updated_at": row.updated_at,
                    }
                )
    return {
        "object": overview.translatable.key,
        "id": obj.pk,
        "original_language": overview.original_language,
        "fields": fields,
        "translations": translations,
    }


@router.get("/translations/{key}/{object_id}", response=TranslationsOut, auth=reader)
def get_translations(request, key: str, object_id: int):
    """Every translatable text of one object (`networks.network`, `practices.goodpractice` …):
    the original, the languages it is missing, and the versions there are."""
    _translatable, obj = _find(request, key, object_id)
    return _out(obj)


@router.put(
    "/translations/{key}/{object_id}/{field}/{language}",
    response=TranslationsOut,
    auth=WRITE_AUTH,
)
def put_translation(
    request, key: str, object_id: int, field: str, language: str, payload: TranslationIn
):
    """Write a person's version of one text in one language; it replaces a machine's version."""
    _translatable, obj = _find(request, key, object_id)
    services.save_translation(
        obj,
        field,
        language,
        payload.text,
        by=request.user,
        expected_version=payload.version,
        request=request,
    )
    return _out(obj)


@router.post(
    "/translations/{key}/{object_id}/machine",
    response={202: MachineRequestOut},
    auth=WRITE_AUTH,
)
def request_machine_translation(request, key: str, object_id: int):
    """Ask for the missing versions to be translated by the configured service, in the background;
    GET the translations later. 422 when machine translation is not switched on."""
    translatable, obj = _find(request, key, object_id)
    if not translatable.may_edit(request.user, obj):
        raise PermissionDenied(translatable.edit_permission)
    queued = services.request_machine_translations(obj, by=request.user, request=request)
    return 202, {"id": queued.pk, "status": queued.status}
