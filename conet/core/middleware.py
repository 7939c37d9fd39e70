from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from conet.core import bottrap
from conet.core import views as core_views

JSON_NUL = b"\\u0000"  # how JSON writes a NUL character


class BotTrapMiddleware:
    """Refuses clients caught by the bot trap, and catches those that fill its hidden field.

    The hidden field is checked in process_view, which runs after CsrfViewMiddleware's: only a POST
    that passed CSRF validation counts, so another site's form (which cannot hold a token) gets the
    CSRF 403 and bans nobody. The hidden link is the `core:trap` view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bottrap.is_blocked(request):
            return core_views.blocked(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Django marks the request when CSRF validation passed (or, for a safe method, was not
        # needed); a view exempt from CSRF never gets the mark, so a cross-site post to it is
        # never counted either.
        if getattr(request, "csrf_processing_done", False) and bottrap.holds_the_hidden_field(
            request
        ):
            bottrap.block(request, "filled hidden field")
            return core_views.blocked(request)
        return None


class NulCharacterMiddleware:
    """Refuses a request whose text holds a NUL character, before any view sees it.

    Nobody types one; a script or a fuzzer does. PostgreSQL cannot store or even compare text with
    NUL (the request failed with a 500 there, and searched or stored it on SQLite), so it is a 400
    for every page, form and API call alike, and nothing is changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            if request.path.startswith("/api/"):
                message = _("The request holds a NUL character, which text cannot contain.")
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        if "\x00" in request.path or _query_holds_nul(request.GET):
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        if request.content_type == "application/json":
            return JSON_NUL in request.body or b"\x00" in request.body
        return _query_holds_nul(request.POST)


def _query_holds_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())
