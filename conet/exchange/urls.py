from django.urls import path

from conet.exchange import views

app_name = "exchange"

urlpatterns = [
    path("exchange/", views.request_list, name="requests"),
    path("exchange/requests/new/", views.request_create, name="request_create"),
    path("exchange/requests/<int:pk>/", views.request_detail, name="request"),
    path("exchange/requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("exchange/requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("exchange/requests/<int:pk>/invite/", views.invite, name="invite"),
    path("exchange/requests/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("exchange/invitations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("exchange/invitations/<int:pk>/<slug:decision>/", views.answer, name="answer"),
    path("exchange/visits/<int:pk>/", views.visit_detail, name="visit"),
    path("exchange/visits/<int:pk>/report/<slug:side>/", views.report_file, name="report"),
    path("exchange/experts/", views.expert_list, name="experts"),
    path("exchange/experts/new/", views.expert_create, name="expert_create"),
    path("exchange/experts/me/", views.my_profile, name="my_profile"),
    path("exchange/experts/<int:pk>/", views.expert_detail, name="expert"),
    path("exchange/experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
]
