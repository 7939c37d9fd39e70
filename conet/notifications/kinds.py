"""What each kind of notification says. Apps declare their kinds in AppConfig.ready():

    from conet.notifications.kinds import register_kind
    register_kind("meeting.promoted", _("A seat at %(meeting)s on %(date)s became free: ..."))

The sentence is a lazy translation with %(name)s fields filled from the notification's params;
it is rendered when shown, so every recipient reads it in their own language.
"""

from django.utils.translation import gettext_lazy as _

from conet.core.formatting import readable_days

_KINDS: dict[str, str] = {
    "message": _("%(text)s"),
}


def register_kind(kind: str, sentence: str) -> None:
    _KINDS[kind] = sentence


def is_registered(kind: str) -> bool:
    return kind in _KINDS


def describe(notification) -> str:
    sentence = _KINDS.get(notification.kind)
    if sentence is None:
        return notification.params.get("text") or notification.kind
    try:
        return str(sentence) % readable_days(notification.params)
    except (KeyError, TypeError, ValueError):
        return notification.params.get("text") or notification.kind
