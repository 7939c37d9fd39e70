"""How the action plans' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("plan.status", _("%(city)s: the Local Action Plan is now %(status)s"))
register_kind("plan.launched", _("%(city)s launched version %(label)s of its Local Action Plan"))
register_kind("plan.reviewed", _("%(reviewer)s reviewed the Local Action Plan of %(city)s"))
