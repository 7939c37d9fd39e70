"""A city's monitoring at a glance, for the pages of other apps (the city's hub)."""

from django import template
from django.db.models import Count, Max

from conet.monitoring.models import Area, Indicator, Observation
from conet.monitoring.selectors import simplify

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


@register.simple_tag
def focus_area_place(partnership) -> dict:
    """{% focus_area_place partnership as place %}: where a focus area is, for its page's map —
    the outline of the monitoring area of the same name where the city has one with a shape (as a
    GeoJSON feature, `shape`, with a link to its figures), else one point, the city's position
    (`points`). One query."""
    city = partnership.city
    area = (
        Area.objects.filter(city=city, name__iexact=partnership.focus_area_name.strip())
        .exclude(west__isnull=True)
        .order_by("level__position", "pk")
        .first()
    )
    if area is not None:
        area.city = city
        # Snapped to about a pixel of a 1,000-pixel-wide view of the area, as the monitoring map
        # does: a surveyed outline of thousands of points stays light in the page.
        step = max(area.east - area.west, area.north - area.south) / 1000 or 1e-6
        shape = {
            "type": "Feature",
            "geometry": simplify(area.geometry, step),
            "properties": {"name": partnership.focus_area_name, "url": area.get_absolute_url()},
        }
        return {"area": area, "shape": shape, "points": []}
    point = {
        "name": partnership.focus_area_name,
        "country": city.name,
        "lat": float(city.latitude),
        "lng": float(city.longitude),
        "url": city.get_absolute_url(),
        "lead": False,
        "focus": "",
    }
    return {"area": None, "shape": None, "points": [point]}
