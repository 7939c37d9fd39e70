"""A registry of what each app declares about its models (the kinds of object that take content
translations, photos…): filled by each app's module at start-up, looked up by model label."""

from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404


def scope_fields(obj: Model) -> tuple[int | None, int | None]:
    """(network id, city id) an object belongs to, read from its own fields."""
    return getattr(obj, "network_id", None), getattr(obj, "city_id", None)


class Declaration:
    """What a declaration (a dataclass with `model`, `edit_permission`, `view_permission` and
    `permission_object`) answers: who may edit or see the object, and its key in addresses."""

    model: type[Model]
    edit_permission: str
    view_permission: str | None

    def permission_object(self, obj: Model) -> Model:  # overridden by the dataclass field
        return obj

    def may_edit(self, user, obj: Model) -> bool:
        return user.has_perm(self.edit_permission, self.permission_object(obj))

    def may_view(self, user, obj: Model) -> bool:
        if self.view_permission is None:
            return True
        return user.has_perm(self.view_permission, self.permission_object(obj))

    @property
    def key(self) -> str:
        """`networks.city`: how addresses and the API name the kind of object."""
        return self.model._meta.label_lower


D = TypeVar("D", bound=Declaration)


class ModelRegistry(Generic[D]):
    def __init__(self) -> None:
        self._by_key: dict[str, D] = {}

    def register(self, declared: D) -> None:
        self._by_key[declared.key] = declared

    def unregister(self, key: str) -> None:
        self._by_key.pop(key, None)

    def get(self, key: str) -> D:
        return self._by_key[key]

    def for_model(self, model: type[Model]) -> D | None:
        """The declaration for `model`, or for the model it inherits from (a proxy, a subclass)."""
        found = self._by_key.get(model._meta.label_lower)
        if found is not None:
            return found
        return next((d for d in self._by_key.values() if issubclass(model, d.model)), None)

    def all(self) -> list[D]:
        return list(self._by_key.values())

    def find(self, key: str, object_id: int) -> tuple[D, Model]:
        """The declaration and the object an address or API call names; LookupError if none."""
        declared = self._by_key.get(key)
        if declared is None:
            raise LookupError(key)
        obj = declared.model._default_manager.filter(pk=object_id).first()
        if obj is None:
            raise LookupError(f"{key} {object_id}")
        return declared, obj

    def editable(self, request, key: str, object_id: int) -> tuple[D, Model]:
        """For a page: the declaration and the object, 404 when either is unknown, 403 when the
        person may not edit the object."""
        try:
            declared, obj = self.find(key, object_id)
        except LookupError as missing:
            raise Http404(str(missing)) from missing
        if not declared.may_edit(request.user, obj):
            raise PermissionDenied(declared.edit_permission)
        return declared, obj

    def visible(self, request, key: str, object_id: int) -> tuple[D, Model]:
        """The declaration and the object, 404 when either is unknown or the person may not see
        the object (a draft is not public: as if it did not exist)."""
        try:
            declared, obj = self.find(key, object_id)
        except LookupError as missing:
            raise Http404(str(missing)) from missing
        if not declared.may_view(request.user, obj):
            raise Http404(key)
        return declared, obj
