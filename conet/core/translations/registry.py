"""Which texts can be translated: feature apps declare them here; core never imports them.

An app registers each model with long public texts in its AppConfig.ready():

    from conet.core.translations.registry import Translatable, register

    register(Translatable(
        model=Network,
        fields=("objectives", "activities", "results"),
        edit_permission="networks.change_network",   # who may edit the object edits its translations
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from conet.core.registry import Declaration, ModelRegistry, scope_fields


def _language_field(obj: Model) -> str:
    return getattr(obj, "language", "") or "en"


@dataclass(frozen=True)
class Translatable(Declaration):
    model: type[Model]
    fields: tuple[str, ...]
    # The rules permission that lets a person edit the object; it lets them edit its translations.
    edit_permission: str
    # The rules permission that lets a person read the object; None: everyone (a public page).
    view_permission: str | None = None
    # The language the original texts are written in.
    language: Callable[[Model], str] = _language_field
    # (network id, city id) the object belongs to: where the audit log files a change.
    scope: Callable[[Model], tuple[int | None, int | None]] = scope_fields
    # What the permissions are asked about (an agenda item: its meeting).
    permission_object: Callable[[Model], Model] = lambda obj: obj

    def original(self, obj: Model, field: str) -> str:
        return getattr(obj, field) or ""

    def label(self, field: str) -> str:
        return str(self.model._meta.get_field(field).verbose_name)


_registry: ModelRegistry[Translatable] = ModelRegistry()
register = _registry.register
unregister = _registry.unregister
get = _registry.get
for_model = _registry.for_model
translatables = _registry.all
find = _registry.find
editable = _registry.editable
visible = _registry.visible
