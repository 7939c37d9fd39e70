from django import template

from conet.follows import selectors
from conet.follows.models import Follow

register = template.Library()


@register.simple_tag
def follow_targets(city=None, network=None, focus_area=None) -> list:
    """What a page offers to follow: a city and its focus areas, a focus area, or a network. No
    query: the city page has its partnerships prefetched. (A name the page does not have arrives
    as "".)"""
    if focus_area:
        return [selectors.Target(Follow.Kind.FOCUS_AREA, focus_area)]
    if city:
        return selectors.targets_on_city_page(city)
    if network:
        return [selectors.Target(Follow.Kind.NETWORK, network)]
    return []
