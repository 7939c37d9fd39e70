"""How the consultations' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("consultation.created", _("%(city)s opened a consultation: %(question)s"))
register_kind(
    "consultation.statement_linked",
    _("The statement “%(statement)s” led to the action %(action)s of the plan %(plan)s"),
)
