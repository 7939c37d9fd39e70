from django.urls import path

from conet.monitoring import views

app_name = "monitoring"

# Fetched by programs (feed readers, calendars, the map's script, <img>), not read as pages:
# no language prefix (conet/urls.py).
machine_urlpatterns = [
    path("cities/<slug:slug>/monitoring/map.geojson", views.features, name="features"),
]

urlpatterns = [
    path("monitoring/", views.city_list, name="cities"),
    path("cities/<slug:slug>/monitoring/", views.overview, name="overview"),
    path("cities/<slug:slug>/monitoring/areas/<str:code>/", views.area_detail, name="area"),
    path(
        "cities/<slug:slug>/monitoring/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        "cities/<slug:slug>/monitoring/indicators/<str:code>/",
        views.indicator_detail,
        name="indicator",
    ),
    path("cities/<slug:slug>/monitoring/indices/new/", views.index_define, name="index_define"),
    path("cities/<slug:slug>/monitoring/compare/", views.compare, name="compare"),
    path("cities/<slug:slug>/monitoring/import/", views.import_observations, name="import"),
    path("cities/<slug:slug>/monitoring/import-areas/", views.import_areas, name="import_areas"),
    path(
        "cities/<slug:slug>/monitoring/import-area-table/",
        views.import_area_table,
        name="import_area_table",
    ),
    path("cities/<slug:slug>/monitoring/export/<str:what>.csv", views.export, name="export"),
]
