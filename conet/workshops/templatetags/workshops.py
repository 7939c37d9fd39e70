"""A city's workshops for the pages of other apps (the city's hub)."""

from django import template

from conet.workshops import rules, selectors
from conet.workshops.models import Workshop

register = template.Library()
SHOWN = 3


@register.simple_tag(takes_context=True)
def city_workshops(context, city) -> dict:
    """{% city_workshops city as workshops %}: the latest three (each with whether this reader may
    open its record) and how many there are. Two queries."""
    user = context["request"].user
    found = Workshop.objects.filter(city=city).order_by("-starts_at", "-pk")
    latest = list(found[:SHOWN])
    return {
        "count": found.count(),
        "latest": [(w, rules.may_view_results(user, w)) for w in latest],
    }


@register.simple_tag(takes_context=True)
def focus_area_workshops(context, partnership) -> list:
    """{% focus_area_workshops partnership as steps %}: the workshops of a focus area's story, with
    their proposals and the plan actions they became."""
    return selectors.focus_area_workshops(partnership, context["request"].user)
