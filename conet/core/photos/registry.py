"""Which kinds of object carry photos: feature apps declare them here; core never imports them.

An app registers each model in its AppConfig.ready() (in the app's photos.py):

    from conet.core.photos.registry import Photographed, register

    register(Photographed(
        model=City,
        edit_permission="networks.change_city",   # who may edit the object adds and removes photos
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from conet.core.registry import Declaration, ModelRegistry, scope_fields


@dataclass(frozen=True)
class Photographed(Declaration):
    model: type[Model]
    # The rules permission that lets a person edit the object; it lets them add, order and remove
    # its photos.
    edit_permission: str
    # The rules permission that lets a person see the object; None: everyone (a public page).
    # The photo files are served after the same check.
    view_permission: str | None = None
    # (network id, city id) the object belongs to: where the audit log files a change.
    scope: Callable[[Model], tuple[int | None, int | None]] = scope_fields
    # What the permissions are asked about.
    permission_object: Callable[[Model], Model] = lambda obj: obj
    # At most this many photos per object: a strip, not an album.
    limit: int = 12
    # Called with the object inside the transaction of every change to its photos (added,
    # described, moved, removed): for what shows them elsewhere, such as a stored PDF.
    changed: Callable[[Model], None] | None = None


_registry: ModelRegistry[Photographed] = ModelRegistry()
register = _registry.register
unregister = _registry.unregister
get = _registry.get
for_model = _registry.for_model
registered = _registry.all
find = _registry.find
editable = _registry.editable
visible = _registry.visible
