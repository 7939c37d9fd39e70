"""How meetings read in the activity feed and in notifications."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind
from conet.notifications.kinds import register_kind as register_notification

register_kind("meeting.scheduled", _("%(title)s is planned in %(city)s on %(date)s"))
register_kind("meeting.cancelled", _("%(title)s in %(city)s on %(date)s is cancelled"))
register_kind("meeting.minutes", _("The minutes of %(title)s are online"))

register_notification("meeting.registered", _("You are registered for %(meeting)s on %(date)s."))
register_notification(
    "meeting.waitlisted",
    _("%(meeting)s is full: you are number %(position)s on the waiting list."),
)
register_notification(
    "meeting.promoted",
    _("A seat at %(meeting)s on %(date)s became free: you are now registered."),
)
register_notification("meeting.new_registration", _("%(name)s registered for %(meeting)s."))
register_notification("meeting.cancelled", _("%(meeting)s on %(date)s is cancelled."))
register_notification(
    "meeting.group_meeting",
    _("The Local Support Group of %(city)s meets on %(date)s: %(meeting)s."),
)
