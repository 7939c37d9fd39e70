from django.urls import path

from conet.practices import views

app_name = "practices"

network = "networks/<slug:slug>/"
guide = network + "guides/<slug:guide_slug>/"

urlpatterns = [
    path("practices/", views.practice_list, name="list"),
    path("practices/<slug:slug>/", views.practice_detail, name="detail"),
    path("practices/<slug:slug>/edit/", views.practice_edit, name="edit"),
    path("practices/<slug:slug>/status/", views.practice_status, name="status"),
    path("practices/<slug:slug>/label/", views.label_assess, name="label"),
    path("practices/<slug:slug>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "practices/<slug:slug>/attachments/<int:pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(network + "practices/propose/", views.practice_propose, name="propose"),
    path(network + "interviews/", views.interview_list, name="interviews"),
    path(network + "interviews/new/", views.interview_edit, name="interview_new"),
    path(network + "interviews/<int:pk>/", views.interview_detail, name="interview"),
    path(network + "interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path(network + "interviews/<int:pk>/status/", views.interview_status, name="interview_status"),
    path(network + "approaches/<int:number>/", views.approach_edit, name="approach"),
    path(network + "guides/", views.guide_list, name="guides"),
    path(network + "guides/new/", views.guide_edit, name="guide_new"),
    path(guide, views.guide_detail, name="guide"),
    path(guide + "edit/", views.guide_edit, name="guide_edit"),
    path(guide + "status/", views.guide_status, name="guide_status"),
    path(guide + "guide.pdf", views.guide_pdf, name="guide_pdf"),
    path(guide + "<int:number>/", views.chapter_detail, name="chapter"),
    path(guide + "<int:number>/edit/", views.chapter_edit, name="chapter_edit"),
]
