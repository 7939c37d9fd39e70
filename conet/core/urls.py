from django.urls import path

from conet.core import views
from conet.core.photos import views as photo_views
from conet.core.translations import views as translation_views

app_name = "core"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("trap/<str:token>/", views.trap, name="trap"),
    path("photos/<int:pk>/<str:name>", photo_views.serve, name="photo"),
]

urlpatterns = [
    path("privacy/", views.legal_page, {"slug": "privacy"}, name="privacy"),
    path("imprint/", views.legal_page, {"slug": "imprint"}, name="imprint"),
    path("accessibility/", views.legal_page, {"slug": "accessibility"}, name="accessibility"),
    path("photos/<str:key>/<int:object_id>/", photo_views.manage, name="photos"),
    path(
        "photos/<str:key>/<int:object_id>/<int:photo_pk>/",
        photo_views.change,
        name="photo_change",
    ),
    path(
        "translations/<str:key>/<int:object_id>/",
        translation_views.overview,
        name="translations",
    ),
    path(
        "translations/<str:key>/<int:object_id>/machine/",
        translation_views.request_machine,
        name="translations_machine",
    ),
    path(
        "translations/<str:key>/<int:object_id>/<str:field>/<str:language>/",
        translation_views.edit,
        name="translation_edit",
    ),
]
