from django import template

from conet.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.inclusion_tag("core/_honeypot.html")
def honeypot_field():
    """The hidden field that people never see and form-filling bots fill in."""
    return {}
