from django.urls import path

from conet.core import views

app_name = "core"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("trap/<str:token>/", views.trap, name="trap"),
]

urlpatterns = [
    path("privacy/", views.legal_page, {"slug": "privacy"}, name="privacy"),
    path("imprint/", views.legal_page, {"slug": "imprint"}, name="imprint"),
    path("accessibility/", views.legal_page, {"slug": "accessibility"}, name="accessibility"),
]
