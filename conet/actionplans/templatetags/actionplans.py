"""Plan facts for the pages of other apps that list partner cities (network, city)."""

from django import template

from conet.actionplans import selectors
from conet.actionplans.models import Action, PlanSection

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_standings(context, partnerships) -> list[selectors.PlanStanding]:
    """{% plan_standings partnerships as standings %}: what this reader may know of each plan."""
    return selectors.plan_standings(partnerships, context["request"].user)


@register.simple_tag(takes_context=True)
def focus_area_plan(context, partnership) -> selectors.FocusAreaPlan | None:
    """{% focus_area_plan partnership as story %}: the plan's actions, progress and indicators as
    this reader may see them, for the focus-area page."""
    return selectors.focus_area_plan(partnership, context["request"].user)


@register.simple_tag(takes_context=True)
def plan_readable(context, plan, launched_versions: int) -> bool:
    """{% plan_readable plan launched_versions as readable %}: whether the plan's page answers this
    reader (a launched version, or a working plan they may see), so no link leads into a 404."""
    user = context["request"].user
    return launched_versions > 0 or user.has_perm("actionplans.view_working_plan", plan)


@register.filter
def section_title(section: dict) -> str:
    """A launched version's section heading in the reader's language (the snapshot keeps the
    English label of its kind, as it read on the day of the launch)."""
    try:
        return str(PlanSection.Kind(section.get("kind")).label)
    except ValueError:
        return section.get("title", "")


@register.filter
def action_status(code: str) -> str:
    """A launched version's action status (kept as its code) in the reader's language."""
    try:
        return str(Action.Status(code).label)
    except ValueError:
        return code or "—"


@register.simple_tag
def partners_progress(standings) -> dict | None:
    """{% partners_progress standings as overall %}: the mean progress of the partners' plans that
    this reader may read, and how many there are (None if none): a network's roll-up, no query."""
    known = [standing.progress for standing in standings if standing.progress is not None]
    if not known:
        return None
    return {"mean": sum(known) / len(known), "plans": len(known)}
