"""A city's monitoring at a glance, for the pages of other apps (the city's hub)."""

from django import template
from django.db.models import Count, Max

from conet.monitoring.models import Area, Indicator, Observation

register = template.Library()


@register.simple_tag
def monitoring_summary(city) -> dict:
    """{% monitoring_summary city as monitoring %}: areas, indicators and the latest period with
    values. Three small queries."""
    latest = Observation.objects.filter(indicator__city=city).aggregate(latest=Max("period"))
    return {
        "areas": Area.objects.filter(city=city).count(),
        "indicators": Indicator.objects.filter(city=city).aggregate(n=Count("pk"))["n"],
        "latest_period": latest["latest"],
    }
