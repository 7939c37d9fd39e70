"""How account events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("membership.joined", _("%(name)s joined as %(role)s"))
