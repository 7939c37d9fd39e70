from django.urls import path

from conet.core import views

app_name = "core"

urlpatterns = [
    path("privacy/", views.legal_page, {"slug": "privacy"}, name="privacy"),
    path("imprint/", views.legal_page, {"slug": "imprint"}, name="imprint"),
    path("accessibility/", views.legal_page, {"slug": "accessibility"}, name="accessibility"),
]
