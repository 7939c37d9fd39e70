from django.urls import path

from conet.consultations import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/new/", views.consultation_start, name="start"),
    path("cities/<slug:city_slug>/consultations/new/", views.consultation_new, name="new"),
    path("consultations/<slug:slug>/", views.vote_page, name="vote"),
    path("consultations/<slug:slug>/vote/", views.vote, name="cast_vote"),
    path("consultations/<slug:slug>/statements/", views.add_statement, name="add_statement"),
    path("consultations/<slug:slug>/forget/", views.forget_me, name="forget_me"),
    path("consultations/<slug:slug>/results/", views.results, name="results"),
    path("consultations/<slug:slug>/report/", views.report, name="report"),
    path("consultations/<slug:slug>/led-to/", views.link_statement, name="link_statement"),
    path(
        "consultations/<slug:slug>/led-to/remove/", views.unlink_statement, name="unlink_statement"
    ),
    path("consultations/<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path("consultations/<slug:slug>/consultation-log/", views.send_to_plan, name="send_to_plan"),
    path("consultations/<slug:slug>/edit/", views.consultation_edit, name="edit"),
    path("consultations/<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("consultations/<slug:slug>/bursts/", views.set_burst_aside, name="set_burst_aside"),
    path("consultations/<slug:slug>/export/", views.export, name="export"),
]
