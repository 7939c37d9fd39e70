from django.urls import path

from conet.meetings import views

app_name = "meetings"

meeting = "meetings/<int:pk>/"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("meetings/calendar/<str:token>.ics", views.personal_ics, name="personal_ics"),
    path("networks/<slug:slug>/meetings.ics", views.network_ics, name="network_ics"),
    path(meeting + "meeting.ics", views.meeting_ics, name="meeting_ics"),
]

urlpatterns = [
    path("meetings/", views.calendar, name="calendar"),
    path("meetings/mine/", views.my_meetings, name="mine"),
    path("meetings/mine/reset-calendar/", views.reset_feed, name="reset_feed"),
    path("networks/<slug:slug>/meetings/", views.network_calendar, name="network_calendar"),
    path("networks/<slug:slug>/meetings/new/", views.meeting_create, name="create"),
    path(
        "networks/<slug:slug>/<slug:city_slug>/group/meetings/new/",
        views.group_meeting_create,
        name="group_create",
    ),
    path(meeting, views.meeting_detail, name="meeting"),
    path(meeting + "edit/", views.meeting_edit, name="edit"),
    path(meeting + "cancel/", views.meeting_cancel, name="cancel"),
    path(meeting + "agenda/", views.agenda_add, name="agenda_add"),
    path(meeting + "agenda/<int:item_pk>/", views.agenda_edit, name="agenda_edit"),
    path(meeting + "agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path(meeting + "documents/", views.document_add, name="document_add"),
    path(meeting + "documents/<int:document_pk>/", views.document_download, name="document"),
    path(
        meeting + "documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(meeting + "register/", views.register, name="register"),
    path(meeting + "unregister/", views.unregister, name="unregister"),
    path(meeting + "needs/", views.needs_update, name="needs"),
    path(meeting + "attendance/", views.attendance, name="attendance"),
]
