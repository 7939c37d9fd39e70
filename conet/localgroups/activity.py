"""How the Local Support Groups' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("stakeholder.added", _("%(city)s added %(name)s to its Local Support Group"))
register_kind("stakeholder.changed", _("%(city)s changed %(name)s in its Local Support Group"))
register_kind("stakeholder.removed", _("%(city)s removed %(name)s from its Local Support Group"))
