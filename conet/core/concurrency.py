"""Optimistic concurrency: a save that started from an older version is refused, never merged silently."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class EditConflict(Exception):
    """Someone else saved the row after the editor loaded it; `current` is what is stored now."""

    def __init__(self, current: models.Model, changed_fields: list[str]):
        self.current = current
        self.changed_fields = changed_fields
        super().__init__(f"{type(current).__name__} {current.pk} changed since it was loaded")


def update_versioned(instance: models.Model, expected_version: int, changes: dict) -> models.Model:
    """Apply `changes` only if the stored row still has `expected_version`; return the stored row.

    The check and the write are one UPDATE … WHERE version = expected, so two concurrent saves
    from the same starting version cannot both succeed, on SQLite or PostgreSQL.
    """
    model = type(instance)
    values = dict(changes)
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        **values, version=F("version") + 1
    )
    current = model.objects.get(pk=instance.pk)
    if not updated:
        raise EditConflict(current, [name for name in changes if name != "version"])
    return current
