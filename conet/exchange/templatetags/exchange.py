from django import template

from conet.exchange.models import SupportRequest

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.42 → "42 %"; the reasons of a match are shares between 0 and 1."""
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def city_support_requests(context, city, shown: int = 3) -> list | None:
    """{% city_support_requests city as requests %}: the city's latest requests for expert support,
    for those who may read requests (None for the others). One query."""
    if not context["request"].user.has_perm("exchange.view_requests"):
        return None
    found = SupportRequest.objects.filter(partnership__city=city).select_related(
        "partnership__network"
    )
    return list(found.order_by("-created_at", "-pk")[:shown])
