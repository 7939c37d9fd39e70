from django.urls import path

from conet.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
