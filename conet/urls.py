from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conet.api.api import api
from conet.core import views as core_views

handler400 = "conet.core.views.bad_request"
handler403 = "conet.core.views.permission_denied"
handler404 = "conet.core.views.page_not_found"
handler500 = "conet.core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", core_views.robots_txt),
    path("favicon.ico", core_views.favicon),
    path("", include("conet.core.urls")),
    path("", include("conet.accounts.urls")),
    path("", include("conet.networks.urls")),
    path("", include("conet.monitoring.urls")),
    path("", include("conet.consultations.urls")),
    path("", include("conet.actionplans.urls")),
    path("", include("conet.localgroups.urls")),
    path("", include("conet.notifications.urls")),
    path("", include("conet.search.urls")),
    path("", include("conet.practices.urls")),
    path("", include("conet.workshops.urls")),
    path("", include("conet.meetings.urls")),
    path("", include("conet.exchange.urls")),
    path("", include("conet.follows.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("404/", core_views.page_not_found)]
