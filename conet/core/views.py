"""Error pages, the legal pages, robots.txt, the favicon and the bot trap's hidden link.

Error pages are calm pages in the visitor's language with a way back; a server error also gives a
reference to quote, which is in the log next to the traceback.
"""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language
from django.views import i18n as i18n_views
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from conet.core import bottrap, legal
from conet.core.languages import language_of_path

logger = logging.getLogger("conet.errors")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def server_error(request):
    reference = uuid.uuid4().hex[:12]
    user = getattr(request, "user", None)
    # Called while the exception is handled, so exc_info carries its traceback into the log line
    # that holds the reference the person quotes.
    logger.error(
        "server error %s on %s %s (user %s)",
        reference,
        request.method,
        request.get_full_path(),
        user.pk if user is not None and user.is_authenticated else "anonymous",
        exc_info=True,
    )
    return render(request, "500.html", {"reference": reference}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def blocked(request):
    """The page a client caught by the bot trap gets, saying what happened and until when."""
    return render(
        request, "core/blocked.html", {"until": bottrap.blocked_until(request)}, status=403
    )


def trap(request, token: str):
    """The hidden link: only the page's own reader following it springs the trap, on themselves.

    Anything else (another site's link or image, an e-mail, a token from someone else's page or an
    old one) is the ordinary 404 of a link that leads nowhere.
    """
    if not bottrap.is_followed_by_its_reader(request, token):
        raise Http404
    bottrap.block(request, "followed hidden link")
    return blocked(request)


@require_GET
def robots_txt(request):
    # The admin is under each language's prefix (/en/admin/, /it/admin/…).
    admin = [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *", f"Disallow: {bottrap.TRAP_PATH}", *admin, ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico on every site whatever the page's <link rel="icon"> says.
    path = Path(settings.BASE_DIR) / "static" / "conet" / "favicon.ico"
    return FileResponse(path.open("rb"), content_type="image/x-icon")


@require_GET
def legal_page(request, slug: str):
    page = legal.PAGES[slug]
    text = legal.installation_text(page, get_language() or settings.LANGUAGE_CODE)
    return render(
        request,
        "core/legal_page.html",
        {"page": page, "text": text, "contact": settings.CONET_CONTACT_EMAIL},
    )


@require_POST
def set_language(request):
    """Django's set_language, reading `next` in its own language: Django finds the same page in the
    chosen language by resolving `next`, and a prefixed address resolves only while its language
    is active; the switch's own request is unprefixed and would be in the cookie's language."""
    next_language = language_of_path(request.POST.get("next", ""))
    if next_language:
        translation.activate(next_language)
    return i18n_views.set_language(request)
