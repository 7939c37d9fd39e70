from django import template

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
