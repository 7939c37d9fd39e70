from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from conet.core import bottrap
from conet.core.formatting import as_date, format_day, format_money, format_quantity
from conet.core.languages import (
    addresses_in_languages,
    event_address,
    in_language,
    without_language,
)
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


@register.simple_tag(takes_context=True)
def page_in_languages(context) -> list[dict]:
    """This page's address in every language: [{"code", "name", "url", "current"}]; the query
    string is kept. Used by the hreflang alternates and the language switch."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    return [
        {"code": code, "name": name, "url": _site_address(url), "current": code == current}
        for (code, name), url in zip(
            settings.LANGUAGES, addresses_in_languages(request), strict=True
        )
    ]


@register.simple_tag(takes_context=True)
def page_without_language(context) -> str:
    """This page's unprefixed address: it leads each visitor to their own language (x-default)."""
    request = context.get("request")
    if request is None:
        return ""
    return _site_address(without_language(request.get_full_path()))


def _site_address(path: str) -> str:
    # The configured address, not the request's Host header: a page never repeats a host name a
    # client made up.
    return settings.CONET_SITE_URL.rstrip("/") + path


@register.simple_tag(takes_context=True)
def event_url(context, language: str, view_name: str, *args) -> str:
    """{% event_url workshop.language 'workshops:join' workshop.code %}: a resident page's address
    in the language its event is held in, unless the reader chose a language with the switch
    (conet.core.languages.event_address)."""
    return event_address(context.get("request"), language, view_name, *args)


@register.simple_tag
def url_in(language: str, view_name: str, *args) -> str:
    """{% url_in workshop.language 'workshops:projector' workshop.pk %}: a page's address in the
    given language whatever the reader chose (the projector shows the room's language)."""
    return event_address(None, language, view_name, *args)


@register.filter(name="in_language")
def in_language_filter(url: str, language: str | None = None) -> str:
    """{{ event.link|in_language }}: a stored link (kept without a language prefix) in the reader's
    language, so it leads to the page in the language the reader is reading."""
    return in_language(url, language) if url else url
