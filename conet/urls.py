"""Every page's address starts with its language (`/it/networks/conet/`, ADR 0003); addresses that
programs fetch (the API, feeds, calendars, the map's data, QR images, WebSockets in asgi.py) and
the language switch itself carry none. An app lists the latter in `machine_urlpatterns`."""

from importlib import import_module

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from conet.api.api import api
from conet.core import views as core_views

handler400 = "conet.core.views.bad_request"
handler403 = "conet.core.views.permission_denied"
handler404 = "conet.core.views.page_not_found"
handler500 = "conet.core.views.server_error"

# The order in which addresses are tried. `networks` comes last: its focus-area pages
# (/networks/<network>/<city>/<area>/) end in a free word that would hide the pages other apps keep
# under a network or a partnership (…/plan/, …/group/, …/guides/<guide>/).
APPS = [
    "core",
    "accounts",
    "monitoring",
    "consultations",
    "actionplans",
    "localgroups",
    "notifications",
    "search",
    "practices",
    "workshops",
    "meetings",
    "exchange",
    "follows",
    "networks",
]


def machine_urls(name: str) -> list:
    """An app's addresses for programs, unprefixed, in the namespace `<app>_machine` (Django keeps
    one namespace to one include, and the pages' include is under the language prefix)."""
    module = import_module(f"conet.{name}.urls")
    machine = getattr(module, "machine_urlpatterns", [])
    if not machine:
        return []
    return [path("", include((machine, f"{module.app_name}_machine")))]


urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("robots.txt", core_views.robots_txt),
    path("favicon.ico", core_views.favicon),
    *[route for name in APPS for route in machine_urls(name)],
    *i18n_patterns(
        path("admin/", admin.site.urls),
        *[path("", include(f"conet.{name}.urls")) for name in APPS],
        prefix_default_language=True,
    ),
]

if settings.DEBUG:
    urlpatterns += i18n_patterns(path("404/", core_views.page_not_found))
