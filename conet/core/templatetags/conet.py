from django import template
from django.utils.html import format_html

from conet.core import bottrap
from conet.core.formatting import as_date, format_day, format_money, format_quantity
from conet.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def trap_link(context) -> str:
    """The hidden link's address, signed for this page's reader (see conet.core.bottrap)."""
    request = context.get("request")
    return bottrap.trap_link(request) if request is not None else ""


@register.inclusion_tag("core/_honeypot.html")
def honeypot_field(field_id: str = "id_homepage"):
    """The hidden field that people never see and form-filling bots fill in. A page with two
    forms that carry it gives the second its own `field_id`, so ids stay unique."""
    return {"field_id": field_id}


@register.filter
def money(value, currency: str = "EUR") -> str:
    """{{ action.cost|money }} → 8.000 € (de), €8,000 (en); — when there is no amount."""
    return format_money(value, currency) or "—"


@register.filter
def quantity(value) -> str:
    """{{ indicator.target|quantity }} → 6 (not 6.00), 1.234,5 (de); — when there is no value."""
    return format_quantity(value) or "—"


@register.filter
def day(value):
    """{{ meeting.starts_at|day }} → <time datetime="2011-06-30">30 giugno 2011</time>, kept on
    one line; — when there is no date."""
    date = as_date(value)
    if date is None:
        return "—"
    return format_html(
        '<time datetime="{}" class="nowrap">{}</time>', date.isoformat(), format_day(date)
    )


@register.inclusion_tag("core/_content_text.html")
def content_text(obj, field: str, markdown: bool = True, empty: str = ""):
    """{% content_text network "objectives" %}: the text in the reader's language when someone
    translated it, else the original with a note naming its language; a machine's translation
    says so and keeps the original one click (or one tap, no script needed) away."""
    from conet.core.translations.selectors import language_name, shown

    text = shown(obj, field)
    original_name = language_name(text.original_language)
    return {"shown": text, "markdown": markdown, "empty": empty, "original_name": original_name}


@register.filter
def language_name(code: str) -> str:
    """{{ "en"|language_name }} → "Englisch" (de), "inglese" (it): as a sentence writes it."""
    from conet.core.translations.selectors import language_name as name

    return name(code)
