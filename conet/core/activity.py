"""The activity feed ("in action"): feature apps write events here and declare how each kind reads.

    register_kind("partnership.added", _("%(city)s joined the network"))
    record_activity(kind="partnership.added", scope=network, actor=user, data={"city": "Palermo"})

The sentence is translated when it is shown, so every visitor reads the feed in their own language.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conet.core.formatting import readable_days
from conet.core.languages import without_language
from conet.core.models import ActivityEvent

_KINDS: dict[str, str] = {
    "update": _("%(text)s"),
}
# Fields whose stored value is an English label (a status, a side) to translate when shown.
_LABEL_FIELDS: dict[str, tuple[str, ...]] = {}


def register_kind(kind: str, sentence: str, *, labels: tuple[str, ...] = ()) -> None:
    """Declare how events of `kind` read; `sentence` is a lazy translation with %(name)s fields.
    `labels` names the fields that hold a translatable label, stored in English."""
    _KINDS[kind] = sentence
    if labels:
        _LABEL_FIELDS[kind] = labels


def describe(event: ActivityEvent) -> str:
    sentence = _KINDS.get(event.kind)
    if sentence is None:
        return event.text or event.kind
    # Dates are stored as ISO days and labels in English; the reader sees them in their language.
    fields = readable_days(event.data)
    for name in _LABEL_FIELDS.get(event.kind, ()):
        if isinstance(fields.get(name), str):
            fields[name] = gettext(fields[name])
    fields["text"] = event.text
    try:
        # A label may open the sentence ("esperto in visita ha riferito…").
        return capfirst(str(sentence) % fields)
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
        # Kept without a language prefix: each reader follows it in their own language.
        link=without_language(link),
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
