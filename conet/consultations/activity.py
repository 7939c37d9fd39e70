"""How the consultations' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("consultation.created", _("%(city)s opened a consultation: %(question)s"))
