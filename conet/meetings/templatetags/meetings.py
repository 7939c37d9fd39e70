"""A city's meetings for the pages of other apps (the city's hub)."""

from django import template
from django.utils import timezone

from conet.meetings import selectors
from conet.meetings.models import Meeting

register = template.Library()


@register.simple_tag(takes_context=True)
def city_meetings(context, city, shown: int = 3) -> list:
    """{% city_meetings city as meetings %}: the next meetings the city hosts that this reader may
    see. One query."""
    upcoming = Meeting.objects.filter(
        host_city=city, ends_at__gte=timezone.now(), status=Meeting.Status.PLANNED
    ).select_related("network")
    return list(
        selectors.visible_to(context["request"].user, upcoming).order_by("starts_at")[:shown]
    )
