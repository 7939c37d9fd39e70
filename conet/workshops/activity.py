"""How the workshops' events read in the activity feed (the workshop's history, not public)."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind("workshop.created", _("%(actor)s set up the workshop “%(workshop)s”"))
register_kind("workshop.phase_opened", _("%(actor)s opened the phase %(phase)s"))
register_kind("workshop.phase_closed", _("%(actor)s closed the phase %(phase)s"))
register_kind("workshop.finished", _("%(actor)s ended the workshop “%(workshop)s”"))
register_kind("workshop.locked", _("%(actor)s locked the board"))
register_kind("workshop.unlocked", _("%(actor)s unlocked the board"))
register_kind("workshop.card_hidden", _("%(actor)s hid a card"))
register_kind("workshop.card_shown", _("%(actor)s showed a hidden card again"))
register_kind("workshop.participant_removed", _("%(actor)s removed a participant"))
register_kind("workshop.facilitator_added", _("%(actor)s added %(facilitator)s as facilitator"))
register_kind("workshop.photo_added", _("%(actor)s attached a photo of a paper board"))
register_kind(
    "workshop.suggestion_accepted",
    _("%(actor)s accepted a suggested grouping into %(count)s clusters"),
)
register_kind(
    "workshop.proposal_promoted",
    _("%(actor)s made the proposal “%(proposal)s” action %(number)s of %(plan)s"),
)
