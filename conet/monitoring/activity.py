"""How monitoring events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind(
    "monitoring.observations_imported",
    _("%(city)s imported %(count)s indicator values"),
)
register_kind("monitoring.areas_imported", _("%(city)s imported %(count)s areas"))
register_kind("monitoring.index_defined", _("%(city)s defined the index %(index)s"))
