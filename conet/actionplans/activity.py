"""How the action plans' events read in the activity feed."""

from django.utils.translation import gettext_lazy as _

from conet.core.activity import register_kind

register_kind(
    "plan.status", _("%(city)s: the Local Action Plan is now %(status)s"), labels=("status",)
)
register_kind("plan.launched", _("%(city)s launched version %(label)s of its Local Action Plan"))
register_kind("plan.reviewed", _("%(reviewer)s reviewed the Local Action Plan of %(city)s"))
register_kind("plan.section_saved", _("%(actor)s changed the section “%(section)s”"))
register_kind("plan.action_added", _("%(actor)s added action %(number)s: %(title)s"))
register_kind("plan.action_saved", _("%(actor)s changed action %(number)s: %(title)s"))
register_kind("plan.tree_changed", _("%(actor)s changed the problem tree: %(statement)s"))
register_kind("plan.objective_added", _("%(actor)s added objective %(number)s: %(title)s"))
register_kind("plan.stepped", _("%(actor)s moved the plan to “%(status)s”"), labels=("status",))
register_kind("plan.objective_saved", _("%(actor)s changed objective %(number)s: %(title)s"))
register_kind("plan.indicator_saved", _("%(actor)s changed the indicator “%(definition)s”"))
