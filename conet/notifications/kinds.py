"""What each kind of notification says. Apps declare their kinds in AppConfig.ready():

    from conet.notifications.kinds import register_kind
    register_kind("meeting.promoted", _("A seat at %(meeting)s on %(date)s became free: ..."))

The sentence is a lazy translation with %(name)s fields filled from the notification's params;
it is rendered when shown, so every recipient reads it in their own language.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conet.core.formatting import readable_days

_KINDS: dict[str, str] = {
    "message": _("%(text)s"),
}


# Fields whose stored value is an English label (a side of a visit) to translate when shown.
_LABEL_FIELDS: dict[str, tuple[str, ...]] = {}


def register_kind(kind: str, sentence: str, *, labels: tuple[str, ...] = ()) -> None:
    """`labels` names the params that hold a translatable label, stored in English."""
    _KINDS[kind] = sentence
    if labels:
        _LABEL_FIELDS[kind] = labels


def is_registered(kind: str) -> bool:
    return kind in _KINDS


def describe(notification) -> str:
    sentence = _KINDS.get(notification.kind)
    if sentence is None:
        return notification.params.get("text") or notification.kind
    fields = readable_days(notification.params)
    labels = _LABEL_FIELDS.get(notification.kind, ())
    for name in labels:
        if isinstance(fields.get(name), str):
            fields[name] = gettext(fields[name])
    try:
        text = str(sentence) % fields
        # A label may open the sentence ("receiving city" → "Приемащият град докладва…").
        return capfirst(text) if labels else text
    except (KeyError, TypeError, ValueError):
        return notification.params.get("text") or notification.kind
