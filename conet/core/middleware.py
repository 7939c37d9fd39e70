import logging

from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from conet.core import bottrap
from conet.core import views as core_views

logger = logging.getLogger("conet.requests")
JSON_NUL = b"\\u0000"  # how JSON writes a NUL character


class BotTrapMiddleware:
    """Refuses clients caught by the bot trap, and catches those that fill its hidden field.

    The hidden field is checked in process_view, which runs after CsrfViewMiddleware's: only a POST
    that passed CSRF validation counts, so another site's form (which cannot hold a token) gets the
    CSRF 403 and bans nobody. The hidden link is the `core_machine:trap` view.
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


class BadInputMiddleware:
    """Answers 400 for input that no view can store, instead of a server error.

    A NUL character is refused before any view sees it: nobody types one; a script or a fuzzer
    does, and PostgreSQL cannot store or even compare text with NUL. A number past 64 bits or a
    value the database refuses (`OverflowError`, `DataError`) is caught when it reaches the
    database: the write's transaction has rolled back, so nothing is changed either way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            message = _("The request holds a NUL character, which text cannot contain.")
            return self._refuse(request, message)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError):
            logger.warning("refused %s %s: %s", request.method, request.path, str(exception)[:200])
            message = _("A number or a text in the request is beyond what can be stored.")
            return self._refuse(request, message)
        return None

    @staticmethod
    def _refuse(request, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "400.html", status=400)

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
