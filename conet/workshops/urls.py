from django.urls import path

from conet.workshops import views

app_name = "workshops"

w = "workshops/<int:pk>/"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("w/<str:code>/qr.svg", views.qr_svg, name="qr"),
]

urlpatterns = [
    path("workshops/", views.workshop_list, name="list"),
    path("workshops/new/", views.workshop_create, name="create"),
    path(w, views.workshop_detail, name="detail"),
    path(w + "settings/", views.workshop_edit, name="edit"),
    path(w + "board/", views.board, name="board"),
    path(w + "projector/", views.projector, name="projector"),
    path(w + "tables/", views.table_add, name="table_add"),
    path(w + "phases/<int:phase_pk>/settings/", views.phase_settings, name="phase_settings"),
    path(w + "phases/<int:phase_pk>/<slug:action>/", views.phase_change, name="phase"),
    path(w + "lock/", views.lock, name="lock"),
    path(w + "finish/", views.finish, name="finish"),
    path(w + "participants/<int:participant_pk>/remove/", views.participant_remove, name="remove"),
    path(w + "cards/", views.card_add, name="card_add"),
    path(w + "cards/<int:card_pk>/hide/", views.card_hide, name="card_hide"),
    path(w + "cards/<int:card_pk>/move/", views.card_move, name="card_move"),
    path(w + "clusters/", views.cluster_add, name="cluster_add"),
    path(w + "clusters/<int:cluster_pk>/", views.cluster_edit, name="cluster_edit"),
    path(w + "clusters/<int:cluster_pk>/delete/", views.cluster_delete, name="cluster_delete"),
    path(w + "proposals/", views.proposal_save, name="proposal_add"),
    path(w + "proposals/<int:proposal_pk>/", views.proposal_save, name="proposal_edit"),
    path("join/", views.join_start, name="join_start"),
    path("w/<str:code>/", views.join, name="join"),
    path("w/<str:code>/board/", views.participant_board, name="participant_board"),
    path("w/<str:code>/forget/", views.forget_me, name="forget_me"),
]

# The results (clustering suggestions, protocol, follow-up) live in their own module.
from conet.workshops import urls_results  # noqa: E402

urlpatterns += urls_results.urlpatterns
