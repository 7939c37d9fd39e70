"""How the practices' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("practice.proposed", _("%(city)s proposed the good practice “%(name)s”"))
register_kind("practice.published", _("New good practice from %(city)s: “%(name)s”"))
register_kind("interview.published", _("Interview with %(person)s, %(role)s"))
register_kind("guide.published", _("The guide “%(title)s” is published"))
