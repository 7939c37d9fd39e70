from django.urls import path

from conet.localgroups import views

app_name = "localgroups"

group = "networks/<slug:slug>/<slug:city_slug>/group/"

urlpatterns = [
    path(group, views.group_detail, name="group"),
    path(group + "stakeholders/", views.stakeholder_add, name="stakeholder_add"),
    path(group + "edit/", views.group_edit, name="edit"),
    path(group + "stakeholders/<int:pk>/", views.stakeholder_edit, name="stakeholder"),
    path(
        group + "stakeholders/<int:pk>/remove/",
        views.stakeholder_remove,
        name="stakeholder_remove",
    ),
]
