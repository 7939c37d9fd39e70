from django.urls import path

from conet.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
