"""Reading photos: one query for every object a page shows, then no more."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from conet.core.models import Photo
from conet.core.photos import registry

_CACHE = "_photos"  # on each object: its photos in order


def attach(objects: Iterable[Model]) -> None:
    """Fetch the photos of every registered object in `objects` in one query and keep them on
    the objects for `photos_of()`. Objects of kinds that carry no photos are left alone. The same
    row may come as several instances (a practice in two chapters of a guide): each gets them."""
    by_type: dict[int, dict[int, list[Model]]] = defaultdict(lambda: defaultdict(list))
    for obj in objects:
        if obj is None or obj.pk is None or _CACHE in obj.__dict__:
            continue
        if registry.for_model(type(obj)) is None:
            continue
        obj.__dict__[_CACHE] = []
        content_type = ContentType.objects.get_for_model(obj)  # cached by Django after the first
        by_type[content_type.pk][obj.pk].append(obj)
    if not by_type:
        return
    condition = Q()
    for content_type_id, objs in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=list(objs))
    for photo in Photo.objects.filter(condition).order_by("position", "pk"):
        owners = by_type[photo.content_type_id][photo.object_id]
        photo.__dict__["owner"] = owners[0]
        for owner in owners:
            owner.__dict__[_CACHE].append(photo)


def photos_of(obj: Model) -> list[Photo]:
    """The photos of `obj` in their order (no query when the page attached them)."""
    if obj is None or obj.pk is None:
        return []
    attach([obj])
    return obj.__dict__.get(_CACHE, [])


def first_photo(obj: Model) -> Photo | None:
    photos = photos_of(obj)
    return photos[0] if photos else None


def find(key: str, object_id: int) -> tuple[registry.Photographed, Model]:
    """The registered kind and the object an address or API call names; LookupError if none."""
    return registry.find(key, object_id)


def owner_of(photo: Photo) -> Model | None:
    """The object a photo belongs to (None when it was deleted behind the signal's back)."""
    if "owner" not in photo.__dict__:
        model = photo.content_type.model_class()
        photo.__dict__["owner"] = (
            model._default_manager.filter(pk=photo.object_id).first() if model else None
        )
    return photo.__dict__["owner"]
