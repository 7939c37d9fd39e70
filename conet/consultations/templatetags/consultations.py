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
