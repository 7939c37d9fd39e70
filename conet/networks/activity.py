"""How the networks' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("network.created", _("The network %(network)s was created"))
register_kind("network.updated", _("The network's description was updated"))
register_kind("partnership.added", _("%(city)s joined the network as %(role)s"))
register_kind("partnership.updated", _("%(city)s updated its focus area: %(focus_area)s"))
register_kind("partnership.removed", _("%(city)s left the network"))
register_kind("city.created", _("%(city)s joined CoNet"))
