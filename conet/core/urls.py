from django.urls import path

from conet.core import views

app_name = "core"

urlpatterns = [
    path("trap/<str:token>/", views.trap, name="trap"),
    path("privacy/", views.legal_page, {"slug": "privacy"}, name="privacy"),
    path("imprint/", views.legal_page, {"slug": "imprint"}, name="imprint"),
    path("accessibility/", views.legal_page, {"slug": "accessibility"}, name="accessibility"),
]
