"""URLs of the workshop results: protocol, follow-up, clustering suggestions (included by urls.py)."""

from django.urls import path

from conet.workshops import views_results as views

urlpatterns: list = [
    path("workshops/<int:pk>/protocol/", views.protocol_page, name="protocol"),
    path("workshops/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("workshops/<int:pk>/protocol.csv", views.protocol_csv, name="protocol_csv"),
    path(
        "workshops/<int:pk>/suggestions/<int:phase_pk>/",
        views.suggestion,
        name="suggestion",
    ),
    path("workshops/<int:pk>/follow-up/", views.followup_page, name="followup"),
    path(
        "workshops/<int:pk>/follow-up/<int:proposal_pk>/promote/",
        views.promote,
        name="promote",
    ),
]
