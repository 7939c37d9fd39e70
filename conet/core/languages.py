"""The interface language is the first part of every page's address: `/it/networks/conet/`.

How a request gets its language (docs/i18n.md, ADR 0003):
- a prefixed address (`/it/...`) is that language, whatever the browser says;
- an unprefixed page address redirects to the same page in the chosen language: the visitor's
  explicit choice (the language cookie the switcher sets) first, then, for a page that belongs to
  an event held in one language (a workshop, a consultation), the event's language, then the
  browser's Accept-Language, then English;
- machine addresses (the API, feeds, calendars, WebSockets, robots.txt) carry no prefix.

Links stored in the database (activity entries, notifications) are kept without a prefix, so each
reader follows them in their own language: `in_language()` adds the reader's prefix when a page or
an e-mail shows them.
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, Resolver404, resolve, reverse, translate_url
from django.utils import translation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def language_of_path(path: str) -> str | None:
    """The language a path starts with (`/it/...` → "it"), None for an unprefixed path."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGE_CODES else None


def without_language(url: str) -> str:
    """The address with its language prefix taken off (`/it/cities/x/` → `/cities/x/`); an
    address of another site or without a prefix is returned as it is."""
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith("/"):
        return url
    language = language_of_path(parts.path)
    if language is None:
        return url
    path = parts.path[len(language) + 1 :] or "/"
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def in_language(url: str, language: str | None = None) -> str:
    """The address in `language` (the active one when not given): `/cities/x/` → `/it/cities/x/`.

    Only addresses of pages get a prefix; the API, feeds and calendars stay as they are, and so
    does an address of another site.
    """
    neutral = without_language(url)
    parts = urlsplit(neutral)
    if parts.netloc or not parts.path.startswith("/") or not _is_page(parts.path):
        return url
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return urlunsplit(("", "", f"/{language}{parts.path}", parts.query, parts.fragment))


def addresses_in_languages(request) -> list[str]:
    """The request's page in every language of settings.LANGUAGES, in that order, query string
    kept. The view the request was resolved to is reversed once per language; resolving the path
    again for each language (Django's translate_url) took ~0.75 ms a time, 8 ms a page."""
    match = getattr(request, "resolver_match", None)
    here = request.get_full_path()
    if match is None or not match.view_name:  # an error page: no view to reverse
        return [translate_url(here, code) for code in LANGUAGE_CODES]
    query = request.META.get("QUERY_STRING", "")
    addresses = []
    for code in LANGUAGE_CODES:
        with translation.override(code):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                path = translate_url(here, code)
                addresses.append(path)
                continue
        addresses.append(f"{path}?{query}" if query else path)
    return addresses


@lru_cache(maxsize=4096)
def _is_page_path(path: str, language: str) -> bool:
    try:
        resolve(f"/{language}{path}")
    except Resolver404:
        return False
    return True


def _resolve_page(path: str):
    """The match of an unprefixed page path (None for a program's address or no page at all).
    Django's language prefix only matches the active language, so that is the one tried."""
    try:
        return resolve(f"/{translation.get_language() or settings.LANGUAGE_CODE}{path}")
    except Resolver404:
        return None


def _is_page(path: str) -> bool:
    # Asked for every stored link a page shows (activity, notifications); the URLconf does not
    # change while the process runs, so the answer is kept per path.
    return _is_page_path(path, translation.get_language() or settings.LANGUAGE_CODE)


def opens_in_language_of(language_of: Callable[..., str | None]):
    """Marks a resident page that opens in its event's language: `language_of(**url_kwargs)` says
    which. An unprefixed link to it (a QR code printed before the address had a prefix, a link
    typed from a poster) leads there unless the resident chose a language themselves."""

    def mark(view):
        view.language_of_event = language_of
        return view

    return mark


def chosen_language(request) -> str | None:
    """The language the visitor chose with the switch (the language cookie), else None."""
    if request is None:
        return None
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in LANGUAGE_CODES else None


def event_address(request, language: str, view_name: str, *args) -> str:
    """A resident page's address (join, vote) in its event's language, unless the visitor chose
    one: the link a coordinator copies or a city page shows opens in the language the workshop
    or consultation is held in, not in the language of the page it was found on."""
    chosen = chosen_language(request) or (language if language in LANGUAGE_CODES else None)
    with translation.override(chosen or settings.LANGUAGE_CODE):
        return reverse(view_name, args=args)


def event_language(path: str) -> str | None:
    """The event's language for an unprefixed resident page's path, else None."""
    match = _resolve_page(path)
    if match is None:
        return None
    language_of = getattr(match.func, "language_of_event", None)
    if language_of is None:
        return None
    language = language_of(**match.kwargs)
    return language if language in LANGUAGE_CODES else None


class LanguageInAddressMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, plus two things it leaves out:

    - an unprefixed resident page goes to its event's language when the visitor has not chosen
      one (the language cookie), ahead of the browser's Accept-Language;
    - an unprefixed POST is redirected with 307, which keeps its method and body (a 302 turns it
      into a GET and the form's content would be lost without a word).
    """

    def process_request(self, request):
        super().process_request(request)
        if language_of_path(request.path_info) or chosen_language(request):
            return
        language = event_language(request.path_info)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        missing = response.status_code == 404
        response = super().process_response(request, response)
        if missing and response.status_code == 302 and request.method not in ("GET", "HEAD"):
            kept = HttpResponseRedirect(response["Location"], status=307)
            kept.headers["Vary"] = response.headers.get("Vary", "")
            return kept
        return response
