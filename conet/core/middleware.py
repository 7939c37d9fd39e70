from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from conet.core import bottrap

JSON_NUL = b"\\u0000"  # how JSON writes a NUL character


class BotTrapMiddleware:
    """Refuses clients caught by the bot trap, and catches those that walk into it now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bottrap.is_blocked(request):
            return self._refuse(request)
        if request.path == bottrap.TRAP_PATH:
            bottrap.block(request, "followed hidden link")
            return self._refuse(request)
        if request.method == "POST" and request.POST.get(bottrap.HONEYPOT_FIELD):
            bottrap.block(request, "filled hidden field")
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        return render(request, "core/blocked.html", status=403)


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
