"""The site's URLs plus one view that fails, to see the server-error page as a visitor would."""

from django.urls import path

from conet.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("the database said no")


urlpatterns = [path("boom/", boom), *urlpatterns]
