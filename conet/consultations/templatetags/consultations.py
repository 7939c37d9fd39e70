"""The city's open consultations, for the pages of other apps (a city's plan) that point to them."""

from django import template

from conet.consultations import selectors

register = template.Library()


@register.simple_tag
def open_consultations_of(city, network=None) -> list:
    """{% open_consultations_of city network as consultations %}: one query."""
    return list(selectors.open_consultations_of(city, network))


@register.simple_tag
def closed_consultations_of(city, shown: int = 3) -> list:
    """{% closed_consultations_of city as consultations %}: the city's latest closed consultations,
    whose results are public. One query."""
    return list(selectors.closed_consultations_of(city)[:shown])


@register.simple_tag(takes_context=True)
def focus_area_consultations(context, partnership) -> list:
    """{% focus_area_consultations partnership as steps %}: the consultations of a focus area's
    story, with their groups, common ground and the plan actions their statements led to."""
    return selectors.focus_area_consultations(partnership, context["request"].user)
