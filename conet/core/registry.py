"""A registry of what each app declares about its models (the kinds of object that take content
translations, photos…): filled by each app's module at start-up, looked up by model label."""

from typing import Generic, Protocol, TypeVar

from django.db.models import Model


class Declared(Protocol):
    model: type[Model]

    @property
    def key(self) -> str: ...


D = TypeVar("D", bound=Declared)


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
