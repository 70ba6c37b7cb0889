from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_api, name="api_search"),
    path("map-clusters/", views.map_clusters_api, name="api_map_clusters"),
    path("autocomplete/", views.autocomplete_api, name="api_autocomplete"),
    path("export.csv", views.export_csv, name="api_export_csv"),
    path("export.geojson", views.export_geojson, name="api_export_geojson"),
]
