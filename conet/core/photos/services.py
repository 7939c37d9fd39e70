"""Every write of a photo: add (checked, cleaned and resized first), describe, order, remove.

Each is one transaction with its audit entry, after the registry's permission for the object
(the people who may edit the object). The image is prepared before the transaction opens, so a
refused file stores nothing; files written for a transaction that then fails are removed, and a
removed photo's files go once the removal has committed (a rolled-back removal keeps them).
"""

from __future__ import annotations

import logging
import secrets
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conet.core import audit
from conet.core.models import Photo
from conet.core.photos import images, registry

logger = logging.getLogger(__name__)


def _photographed(obj: Model) -> registry.Photographed:
    photographed = registry.for_model(type(obj))
    if photographed is None:
        raise ValidationError(_("This kind of page cannot carry photos."))
    return photographed


def _require_edit(photographed: registry.Photographed, obj: Model, by) -> None:
    if by is None or not photographed.may_edit(by, obj):
        raise PermissionDenied(photographed.edit_permission)


def _about(photographed: registry.Photographed, obj: Model) -> SimpleNamespace:
    network_id, city_id = photographed.scope(obj)
    return SimpleNamespace(network_id=network_id, city_id=city_id)


def _changed(photographed: registry.Photographed, obj: Model) -> None:
    if photographed.changed is not None:
        photographed.changed(obj)


def _texts(alt_text: str, caption: str, credit: str) -> dict[str, str]:
    alt_text, caption, credit = (
        (alt_text or "").strip(),
        (caption or "").strip(),
        (credit or "").strip(),
    )
    errors = {}
    if not alt_text:
        errors["alt_text"] = _(
            "Describe what the photo shows, for people who cannot see it (a screen reader reads it)."
        )
    elif len(alt_text) > 300:
        errors["alt_text"] = _("At most 300 characters.")
    if len(caption) > 300:
        errors["caption"] = _("At most 300 characters.")
    if len(credit) > 200:
        errors["credit"] = _("At most 200 characters.")
    if errors:
        raise ValidationError(errors)
    return {"alt_text": alt_text, "caption": caption, "credit": credit}


def _remove_files(names: list[str], storage) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # a file already gone is no reason to fail the page
            logger.warning("photos: could not delete %s", name, exc_info=True)


def add_photo(
    obj: Model,
    upload,
    *,
    by,
    alt_text: str,
    caption: str = "",
    credit: str = "",
    request=None,
) -> Photo:
    """Check, clean and store `upload` (a file object or bytes) as the last photo of `obj`."""
    photographed = _photographed(obj)
    _require_edit(photographed, obj, by)
    texts = _texts(alt_text, caption, credit)  # the cheap checks first
    prepared = images.prepare(upload)  # decodes the file: a ValidationError stores nothing
    content_type = ContentType.objects.get_for_model(obj)
    token = secrets.token_hex(8)
    photo = Photo(
        content_type=content_type,
        object_id=obj.pk,
        width=prepared.large.width,
        height=prepared.large.height,
        small_width=prepared.small.width,
        small_height=prepared.small.height,
        language=(get_language() or "en").split("-")[0],
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        **texts,
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            # Count and place under a lock on the object's row, so two uploads at once cannot
            # both pass the limit or take the same position. (SQLite ignores the row lock; there
            # the IMMEDIATE transactions of conet/settings.py queue the second upload instead.
            # tests/core/test_photo_concurrency.py races both.)
            type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
            existing = Photo.objects.filter(content_type=content_type, object_id=obj.pk)
            if existing.count() >= photographed.limit:
                raise ValidationError(
                    {
                        "image": _("A page can carry at most %(count)s photos.")
                        % {"count": photographed.limit}
                    }
                )
            photo.position = (existing.aggregate(last=Max("position"))["last"] or 0) + 1
            photo.large.save(
                f"{token}-{images.LARGE}.jpg", ContentFile(prepared.large.content), save=False
            )
            written.append(photo.large.name)
            photo.small.save(
                f"{token}-{images.SMALL}.jpg", ContentFile(prepared.small.content), save=False
            )
            written.append(photo.small.name)
            photo.save()
            audit.record(
                "photo.added",
                actor=by,
                about=_about(photographed, obj),
                summary=f"{obj} — {texts['alt_text']}",
                data={"object": photographed.key, "id": obj.pk, "photo": photo.pk},
                request=request,
            )
            _changed(photographed, obj)
    except BaseException:
        _remove_files(written, photo.large.storage)
        raise
    return photo


@transaction.atomic
def describe_photo(
    photo: Photo, obj: Model, *, by, alt_text: str, caption: str = "", credit: str = ""
) -> Photo:
    """Change the alt text, caption and credit of a photo of `obj`."""
    photographed = _photographed(obj)
    _require_edit(photographed, obj, by)
    texts = _texts(alt_text, caption, credit)
    Photo.objects.filter(pk=photo.pk).update(**texts)
    for field, value in texts.items():
        setattr(photo, field, value)
    _changed(photographed, obj)
    return photo


@transaction.atomic
def move_photo(photo: Photo, obj: Model, *, by, step: int) -> None:
    """Move a photo one place earlier (step -1) or later (+1); the first one is the page's preview."""
    photographed = _photographed(obj)
    _require_edit(photographed, obj, by)
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    ordered = list(
        Photo.objects.filter(
            content_type_id=photo.content_type_id, object_id=photo.object_id
        ).order_by("position", "pk")
    )
    index = next((i for i, p in enumerate(ordered) if p.pk == photo.pk), None)
    if index is None:
        return
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, start=1):
        if each.position != position:
            Photo.objects.filter(pk=each.pk).update(position=position)
    _changed(photographed, obj)


@transaction.atomic
def delete_photo(photo: Photo, obj: Model, *, by, request=None) -> None:
    photographed = _photographed(obj)
    _require_edit(photographed, obj, by)
    names = [name for name in (photo.large.name, photo.small.name) if name]
    storage = photo.large.storage
    audit.record(
        "photo.removed",
        actor=by,
        about=_about(photographed, obj),
        summary=f"{obj} — {photo.alt_text}",
        data={"object": photographed.key, "id": obj.pk, "photo": photo.pk},
        request=request,
    )
    photo.delete()
    _changed(photographed, obj)
    transaction.on_commit(lambda: _remove_files(names, storage), robust=True)


def forget_photos(sender, instance, **kwargs) -> None:
    """post_delete of any model: a deleted object's photos go with it (there is no foreign key to
    cascade, since core cannot point at the apps' tables); their files once the delete commits."""
    if registry.for_model(sender) is None or instance.pk is None:
        return
    photos = Photo.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    )
    names = [name for photo in photos for name in (photo.large.name, photo.small.name) if name]
    if not names:
        return
    storage = Photo._meta.get_field("large").storage
    photos.delete()
    transaction.on_commit(lambda: _remove_files(names, storage), robust=True)
