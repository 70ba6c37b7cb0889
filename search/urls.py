from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_api, name="api_search"),
    path("autocomplete/", views.autocomplete_api, name="api_autocomplete"),
]
