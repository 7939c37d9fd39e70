from django.urls import path

from conet.networks import views
from conet.networks.feeds import NetworkActivityFeed

app_name = "networks"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("networks/<slug:slug>/feed/", NetworkActivityFeed(), name="feed"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/audit-log.csv", views.audit_log_csv, name="audit_log_csv"),
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("networks/<slug:slug>/edit/", views.network_edit, name="network_edit"),
    path("networks/<slug:slug>/updates/", views.post_update, name="post_update"),
    path("networks/<slug:slug>/partners/", views.partners, name="partners"),
    path(
        "networks/<slug:slug>/partners/<slug:city_slug>/",
        views.partnership_edit,
        name="partnership_edit",
    ),
    path(
        "networks/<slug:slug>/partners/<slug:city_slug>/remove/",
        views.partnership_remove,
        name="partnership_remove",
    ),
    path("networks/<slug:slug>/members/", views.network_members, name="network_members"),
    path("cities/", views.city_list, name="cities"),
    path("cities/new/", views.city_create, name="city_create"),
    path("cities/<slug:slug>/", views.city_detail, name="city"),
    path("cities/<slug:slug>/edit/", views.city_edit, name="city_edit"),
    path("cities/<slug:slug>/members/", views.city_members, name="city_members"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    # Its last word is free, so it must come after every app's own page under a partnership
    # (…/plan/, …/group/): conet/urls.py includes this app last, and the services refuse a focus
    # area's address that one of those pages answers.
    path(
        "networks/<slug:slug>/<slug:city_slug>/<slug:area_slug>/",
        views.focus_area,
        name="focus_area",
    ),
]
