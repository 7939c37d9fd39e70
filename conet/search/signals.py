"""Every save and delete of a registered model updates the index in the background, on commit.

The receivers listen to all models, because feature apps register in their own ready(), which may
run after ours; a dictionary lookup per save decides whether the model is searchable."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from conet.search import registry, services


def _kind_of(sender) -> str | None:
    searchable = registry.searchable_for_model(sender)
    return searchable.kind if searchable else None


def on_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loading fixtures: `conet reindex` afterwards
        return
    kind = _kind_of(sender)
    if kind is not None:
        services.index_later(kind, instance.pk)


def on_delete(sender, instance, **kwargs) -> None:
    kind = _kind_of(sender)
    if kind is not None and instance.pk is not None:
        services.index_later(kind, instance.pk)


def on_translation(sender, model, object_id: int, **kwargs) -> None:
    """A text of a registered model was translated (or its translation changed): its document
    holds the translations too, so it is indexed again."""
    kind = _kind_of(model)
    if kind is not None:
        services.index_later(kind, object_id)


def connect() -> None:
    from conet.core.translations.services import translation_changed

    post_save.connect(on_save, dispatch_uid="conet.search.on_save")
    post_delete.connect(on_delete, dispatch_uid="conet.search.on_delete")
    translation_changed.connect(on_translation, dispatch_uid="conet.search.on_translation")
