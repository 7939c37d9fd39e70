"""How the support scheme's events read in the activity feed and in notifications."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind
from conet.notifications.kinds import register_kind as register_notification

register_kind("exchange.request_posted", _("%(city)s asks for support: %(title)s"))
register_kind("exchange.request_closed", _("%(city)s closed its support request %(title)s"))
register_kind("exchange.profile_created", _("%(name)s offers know-how as an expert"))
register_kind("exchange.invited", _("%(expert)s was invited to help %(city)s with %(title)s"))
register_kind("exchange.accepted", _("%(expert)s will help %(city)s with %(title)s"))
register_kind(
    "exchange.visit_planned", _("A support visit to %(city)s is planned from %(date)s: %(title)s")
)
register_kind(
    "exchange.report_filed",
    _("The %(side)s reported on the visit to %(city)s: %(title)s"),
    labels=("side",),
)

register_notification(
    "exchange.request_posted", _("%(city)s asks for support on your core tasks: %(title)s")
)
register_notification("exchange.invited", _("You are invited to help %(city)s with %(title)s"))
register_notification("exchange.accepted", _("%(expert)s accepted the invitation for %(title)s"))
register_notification("exchange.declined", _("%(expert)s declined the invitation for %(title)s"))
register_notification(
    "exchange.visit_planned", _("The visit to %(city)s for %(title)s is planned from %(date)s")
)
register_notification(
    "exchange.report_filed",
    _("The %(side)s filed a report on the visit to %(city)s: %(title)s"),
    labels=("side",),
)
