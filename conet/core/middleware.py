from django.shortcuts import render

from conet.core import bottrap


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
