"""Network facts for the pages of the apps above (a consultation, a workshop) that point back."""

from django import template

from conet.networks import selectors

register = template.Library()


@register.simple_tag
def focus_areas_of(city, network=None) -> list:
    """{% focus_areas_of city network as focus_areas %}: the focus areas whose pages tell the
    story a consultation or a workshop of `city` belongs to. One query."""
    if city is None:
        return []
    return selectors.focus_areas_of(city, network)
