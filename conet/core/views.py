"""Error pages and robots.txt: calm pages in the visitor's language, with a reference to quote."""

import logging
import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from conet.core import bottrap

logger = logging.getLogger("conet.errors")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def server_error(request):
    reference = uuid.uuid4().hex[:12]
    logger.error("server error %s on %s %s", reference, request.method, request.path)
    return render(request, "500.html", {"reference": reference}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", f"Disallow: {bottrap.TRAP_PATH}", "Disallow: /admin/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
