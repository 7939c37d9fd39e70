"""The activity feed ("in action"): feature apps write events here and declare how each kind reads.

    register_kind("partnership.added", _("%(city)s joined the network"))
    record_activity(kind="partnership.added", scope=network, actor=user, data={"city": "Palermo"})

The sentence is translated when it is shown, so every visitor reads the feed in their own language.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from conet.core.models import ActivityEvent

_KINDS: dict[str, str] = {
    "update": _("%(text)s"),
}


def register_kind(kind: str, sentence: str) -> None:
    """Declare how events of `kind` read; `sentence` is a lazy translation with %(name)s fields."""
    _KINDS[kind] = sentence


def describe(event: ActivityEvent) -> str:
    sentence = _KINDS.get(event.kind)
    fields = {**event.data, "text": event.text}
    if sentence is None:
        return event.text or event.kind
    try:
        return str(sentence) % fields
    except (KeyError, TypeError, ValueError):
        return event.text or event.kind


def record_activity(
    *,
    kind: str,
    scope: models.Model,
    actor=None,
    data: dict | None = None,
    text: str = "",
    language: str = "",
    link: str = "",
    public: bool = True,
) -> ActivityEvent:
    """Write one event. Call it inside the service's transaction, so a rolled-back change leaves no trace."""
    return ActivityEvent.objects.create(
        kind=kind,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=scope.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
        text=text,
        language=language,
        link=link,
        public=public,
    )


def events_for(scopes: Iterable[models.Model], *, public_only: bool = True):
    """Events of several scopes of one model, newest first (one query when sliced)."""
    scopes = list(scopes)
    if not scopes:
        return ActivityEvent.objects.none()
    content_type = ContentType.objects.get_for_model(scopes[0])
    events = ActivityEvent.objects.filter(
        scope_type=content_type, scope_id__in=[scope.pk for scope in scopes]
    ).select_related("actor")
    if public_only:
        events = events.filter(public=True)
    return events
