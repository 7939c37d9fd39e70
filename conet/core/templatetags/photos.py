"""Photos on pages, in link previews and in PDFs (conet/core/photos).

{% photo_strip city manage=can_edit %}       the strip, and the editors' link when allowed
{% block social %}{% social_meta city title=city.name description=… %}{% endblock %}
{% photo_for_pdf meeting %}                  the first photo as a <figure>, embedded in a PDF
{% pdf_figure photo %}                       … any photo
"""

import base64

from django import template
from django.conf import settings
from django.utils.html import format_html

from conet.core.photos import registry, selectors

register = template.Library()


def _site(path: str) -> str:
    # The configured address, not the request's Host header (as for the hreflang links).
    return settings.CONET_SITE_URL.rstrip("/") + path


@register.inclusion_tag("core/photos/_strip.html")
def photo_strip(obj, manage: bool = False, heading: str = "", editor=None):
    """`manage`: the reader may edit the object (the page knows); or `editor=user` to ask the
    registry's edit permission here (for an include that does not know)."""
    photographed = registry.for_model(type(obj)) if obj is not None else None
    if editor is not None and photographed is not None:
        manage = photographed.may_edit(editor, obj)
    return {
        "obj": obj,
        "photos": selectors.photos_of(obj) if photographed else [],
        "key": photographed.key if photographed else "",
        "manage": bool(manage and photographed),
        "heading": heading,
    }


@register.inclusion_tag("core/photos/_social_meta.html", takes_context=True)
def social_meta(context, obj=None, title: str = "", description: str = ""):
    """Open Graph and Twitter card tags: what a link preview shows when the page is shared.
    The image is the object's first photo, at its large size, by its full address."""
    request = context.get("request")
    photo = (
        selectors.first_photo(obj) if obj is not None and registry.for_model(type(obj)) else None
    )
    return {
        "title": title,
        "description": " ".join(str(description or "").split())[:300],
        "url": _site(request.path) if request is not None else "",
        "photo": photo,
        "image": _site(photo.large_url) if photo else "",
        "site_name": context.get("site_name", "CoNet"),
        "locale": context.get("LANGUAGE_CODE", ""),
    }


@register.simple_tag
def pdf_figure(photo, size: str = "large"):
    """A photo as a figure whose image is inside the HTML (a data: address), so WeasyPrint needs
    neither the network nor a path on disk, whatever storage holds the files. Nothing when the
    file is missing."""
    if photo is None:
        return ""
    field = photo.small if size == "small" else photo.large
    try:
        with field.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode()
    except OSError:
        return ""
    caption = " · ".join(
        part for part in (photo.caption, photo.credit and f"© {photo.credit}") if part
    )
    return format_html(
        '<figure class="pdf-photo"><img src="data:image/jpeg;base64,{}" alt="{}" width="{}" '
        'height="{}">{}</figure>',
        data,
        photo.alt_text,
        photo.small_width if size == "small" else photo.width,
        photo.small_height if size == "small" else photo.height,
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


@register.simple_tag
def photo_for_pdf(obj, size: str = "large"):
    """The first photo of `obj` as a figure for a PDF (see pdf_figure); nothing without one."""
    return pdf_figure(selectors.first_photo(obj), size) if obj is not None else ""
