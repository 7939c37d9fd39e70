"""People's data under their control (GDPR articles 15, 17 and 20): every app declares here what it
holds about a person, how to hand it over and what happens to it when the account is deleted;
accounts never imports the feature apps.

An app registers its part from its AppConfig.ready() (in its `privacy.py`):

    from conet.accounts.personal_data import register_personal_data, rows

    register_personal_data(
        "meetings",
        export=lambda user: {"registrations": rows(Registration.objects.filter(user=user))},
        files=lambda user: [(doc.file, doc.file.name) for doc in uploaded_by(user)],
        erase=erase_meeting_data,   # runs inside the deletion's transaction, before the user row goes
    )

`export` returns plain JSON values (see `rows`); `files` names uploaded files to add to the archive;
`erase` removes or anonymises what the app holds, keeping what the record needs. Retention rules
(data kept only for a while, for everybody) are scheduled tasks in each app's `tasks.py`.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# Columns that hold secrets or their hashes: never part of an export, whoever asks.
SECRET_FIELDS = frozenset(
    {"password", "token", "token_hash", "key_hash", "device_hash", "vector_text_hash"}
)

# What a device's hash becomes when the link to the device is cut: nobody holds a token whose
# hash this is, and the prefix lets retention rules skip rows already done.
ERASED_PREFIX = "erased:"


def unlinkable_hash() -> str:
    return ERASED_PREFIX + secrets.token_hex(24)


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    export: Callable[[models.Model], object]
    erase: Callable[[models.Model], None] | None = None
    files: Callable[[models.Model], Iterable[tuple[object, str]]] | None = None


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(
    name: str,
    *,
    export: Callable[[models.Model], object],
    erase: Callable[[models.Model], None] | None = None,
    files: Callable[[models.Model], Iterable[tuple[object, str]]] | None = None,
) -> None:
    """Declare one part of a person's data. `name` becomes `<name>.json` in the archive."""
    _parts[name] = PersonalDataPart(name=name, export=export, erase=erase, files=files)


def parts() -> list[PersonalDataPart]:
    return [_parts[name] for name in sorted(_parts)]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def row(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict:
    """One row as JSON: every column (links as ids, dates as ISO 8601) except secrets."""
    skip = SECRET_FIELDS | set(exclude)
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip or isinstance(field, models.BinaryField):
            continue  # secrets, and machine-made vectors that say nothing to a person
        data[field.attname] = _plain(getattr(instance, field.attname))
    return data


def rows(queryset: Iterable[models.Model], *, exclude: Iterable[str] = ()) -> list[dict]:
    return [row(instance, exclude=exclude) for instance in queryset]


def export_archive(user) -> bytes:
    """A ZIP with one JSON file per part and the person's uploaded files under files/.

    Built in the request: a person's own data is small (kilobytes of rows, plus the few files they
    uploaded). Should uploads grow large, this is the function to move into a huey task.
    """
    buffer = io.BytesIO()
    contents = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts():
            archive.writestr(
                f"{part.name}.json",
                json.dumps(part.export(user), ensure_ascii=False, indent=2, default=_plain),
            )
            contents.append(f"{part.name}.json")
            for field_file, name in part.files(user) if part.files else ():
                path = f"files/{part.name}/{name}"
                try:
                    with field_file.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except OSError:
                    # The row exists but its file is gone (a restore without uploads): the JSON
                    # still names it; the archive says it is missing rather than failing.
                    logger.warning("personal data export: file %s is missing", field_file.name)
                    continue
                contents.append(path)
        manifest = {
            "generated_at": timezone.now().isoformat(),
            "user_id": user.pk,
            "files": contents,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return buffer.getvalue()


def erase_parts(user) -> None:
    """Run every app's erase for `user`; the caller holds the transaction and deletes the user."""
    for part in parts():
        if part.erase is not None:
            part.erase(user)
